namespace Appliance.Fleet.Rollouts;

/// <summary>
/// Meta's rule: halt when failures exceed one per thousand devices given the release (told to switch), and at any
/// failure in the canary ring. Evaluated on the report that changes the counts, so the halt happens on the report
/// that crosses the line.
/// </summary>
public static class HaltRule
{
    public const int FailuresPerThousand = 1;

    public static bool ShouldHalt(int given, int failed, int canaryFailed) =>
        canaryFailed > 0 || (long)failed * 1000 > (long)given * FailuresPerThousand;

    public static string Explain(int given, int failed, int canaryFailed) =>
        canaryFailed > 0
            ? $"{canaryFailed} failure(s) in the canary ring"
            : $"{failed} failed of {given} given the release: more than {FailuresPerThousand} per 1000";
}

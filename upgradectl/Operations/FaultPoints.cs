using Serilog;

namespace Appliance.Upgradectl.Operations;

/// <summary>
/// Kill points for the fault-injection tests: with <c>UPGRADECTL_FAULT=&lt;operation&gt;.&lt;step&gt;</c> the process
/// SIGKILLs itself when it reaches that step, exactly as a power cut or an OOM kill would stop it (no clean-up runs).
/// </summary>
public static class FaultPoints
{
    public const string Variable = "UPGRADECTL_FAULT";

    public static void Reach(string point)
    {
        if (Environment.GetEnvironmentVariable(Variable) == point)
        {
            Log.Warning("Fault injection: killing upgradectl at {Point}", point);
            Log.CloseAndFlush();
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Kill();
        }
    }
}

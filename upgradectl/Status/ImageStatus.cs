namespace Appliance.Upgradectl.Status;

/// <summary>One image file on the host partition as status and list report it.</summary>
/// <param name="State">good, trial, failed, staged or partial.</param>
/// <param name="Sha256">From the image's manifest; null when it has none.</param>
public sealed record ImageStatus(int Version, string State, bool Booted, bool Default, bool Previous, long SizeBytes, string? Sha256)
{
    public const string Good = "good";
    public const string Trial = "trial";
    public const string Failed = "failed";
    public const string Staged = "staged";
    public const string Partial = "partial";
}

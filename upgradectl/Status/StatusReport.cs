using Appliance.Core.Boot;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Status;

/// <summary>
/// Everything <c>upgradectl status</c> reports; its JSON form is documented in docs/status-json.md. Fleet tooling
/// parses it: fields are only ever added; a change of meaning raises <see cref="CurrentSchemaVersion"/>.
/// </summary>
public sealed record StatusReport(
    int SchemaVersion,
    BootedStatus? Booted,
    BootState BootState,
    IReadOnlyList<ImageStatus> Images,
    Operation? LastOperation,
    bool OperationRunning,
    HostSpace Host,
    IReadOnlyList<BootRecord> BootHistory)
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The running boot: which image, how GRUB chose it, and since when.</summary>
public sealed record BootedStatus(int Version, string Mode, double UptimeSeconds);

public sealed record HostSpace(string Path, long FreeBytes, long TotalBytes);

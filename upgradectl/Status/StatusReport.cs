using Appliance.Core.Boot;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Status;

/// <summary>Everything <c>upgradectl status</c> reports; its JSON form is documented in docs/status-json.md.</summary>
public sealed record StatusReport(
    BootedStatus? Booted,
    BootState BootState,
    IReadOnlyList<ImageStatus> Images,
    Operation? LastOperation,
    bool OperationRunning,
    HostSpace Host,
    IReadOnlyList<BootRecord> BootHistory);

/// <summary>The running boot: which image, how GRUB chose it, and since when.</summary>
public sealed record BootedStatus(int Version, string Mode, double UptimeSeconds);

public sealed record HostSpace(string Path, long FreeBytes, long TotalBytes);

using Appliance.Core.Fleet;

namespace Appliance.Fleet.Api;

/// <param name="Window">Null removes the window (any time).</param>
/// <param name="MaxSwitching">Null keeps the current cap.</param>
public sealed record WindowRequest(MaintenanceWindow? Window, int? MaxSwitching);

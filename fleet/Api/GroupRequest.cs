using Appliance.Core.Fleet;

namespace Appliance.Fleet.Api;

/// <param name="Window">Null: the group may switch at any time.</param>
public sealed record GroupRequest(string Name, string Channel, int MaxSwitching, MaintenanceWindow? Window);

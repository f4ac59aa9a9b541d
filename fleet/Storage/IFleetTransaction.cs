namespace Appliance.Fleet.Storage;

/// <summary>The operations the service and the rollout engine need, inside one transaction. Kept to simple portable SQL.</summary>
public interface IFleetTransaction
{
    /// <summary>True once this transaction has changed (or tried to change) a row.</summary>
    bool HasWritten { get; }

    Task<string?> OperatorNameAsync(string tokenHash);
    Task InsertOperatorTokenAsync(string tokenHash, string name, long now);

    Task<GroupRow?> GetGroupAsync(string name);
    Task<IReadOnlyList<GroupRow>> ListGroupsAsync();
    Task InsertGroupAsync(GroupRow group, long now);
    Task UpdateGroupAsync(GroupRow group);

    Task<EnrolmentTokenRow?> GetEnrolmentTokenAsync(string tokenHash);
    Task InsertEnrolmentTokenAsync(EnrolmentTokenRow token, long now);
    Task CountEnrolmentAsync(string tokenId);

    Task<DeviceRow?> GetDeviceAsync(string id);
    Task InsertDeviceAsync(DeviceRow device);
    Task<IReadOnlyList<DeviceRow>> ListDevicesAsync(string? groupName, int? version);
    Task RecordCheckInAsync(string id, long sequence, int? version, int? unknownVersion, string statusJson, long now);
    /// <summary>Stores batched last-seen times and sequences; a device whose stored sequence is newer keeps it.</summary>
    Task RecordSeenAsync(IReadOnlyList<DeviceSeen> seen);
    Task SetOpenActionAsync(string id, string? actionId);
    Task SetRollbackAsync(string id, int? to, string? reason);
    Task RevokeDeviceAsync(string id, long now);
    /// <summary>Devices of a channel (not revoked) whose bucket is in [from, to).</summary>
    Task<int> CountDevicesInBucketsAsync(string channel, int from, int to);
    /// <summary>Devices of a group in the switching state of any rollout.</summary>
    Task<int> CountSwitchingAsync(string groupName);

    Task AddKnownVersionAsync(int version);
    Task<bool> IsKnownVersionAsync(int version);

    Task<ActionRow?> GetActionAsync(string id);
    Task InsertActionAsync(ActionRow action);
    /// <summary>Stores an outcome once; false when the action already has one.</summary>
    Task<bool> FinishActionAsync(string id, string result, int exitCode, string? message, long finishedAt);
    Task<IReadOnlyList<ActionRow>> ListActionsAsync(string deviceId, int limit);

    Task<long> InsertRolloutAsync(RolloutRow rollout, int ringCount);
    Task<RolloutRow?> GetRolloutAsync(long id);
    /// <summary>The channel's rollout that is not closed (active, paused or halted), if any.</summary>
    Task<RolloutRow?> GetOpenRolloutAsync(string channel);
    Task<IReadOnlyList<RolloutRow>> ListRolloutsAsync();
    Task SetRolloutStateAsync(long id, string state, string? reason, long now);
    Task SetCurrentRingAsync(long id, int ring, long now);
    Task AddToCountersAsync(long rolloutId, int ring, int given, int confirmed, int failed);
    Task<IReadOnlyList<RingCounterRow>> GetRingCountersAsync(long rolloutId);

    Task<RolloutDeviceRow?> GetRolloutDeviceAsync(long rolloutId, string deviceId);
    Task InsertRolloutDeviceAsync(RolloutDeviceRow row);
    /// <summary>Moves a device from <paramref name="expectedState"/> only; false when another decision got there first.</summary>
    Task<bool> MoveRolloutDeviceAsync(long rolloutId, string deviceId, string expectedState, string newState, long? deadlineAt, string? detail, long now);
    Task<IReadOnlyList<RolloutDeviceRow>> ListRolloutDevicesAsync(long rolloutId, IReadOnlyList<string>? states);
    Task<IReadOnlyList<RolloutDeviceRow>> ListOpenMembershipsAsync(string deviceId, IReadOnlyList<string> states);
    /// <summary>Switching devices whose silence deadline passed.</summary>
    Task<IReadOnlyList<RolloutDeviceRow>> ListOverdueAsync(long now, int limit);

    Task AppendAuditAsync(AuditRow entry);
    Task<IReadOnlyList<AuditRow>> QueryAuditAsync(long afterId, string? subject, int limit);
}

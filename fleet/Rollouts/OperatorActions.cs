using Appliance.Fleet.Api;
using Appliance.Fleet.Identity;
using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Rollouts;

/// <summary>What operators and support staff do, each inside the caller's transaction and each one audit entry.</summary>
public sealed class OperatorActions(RolloutEngine engine)
{
    private long Now => engine.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<GroupRow> CreateGroupAsync(IFleetTransaction transaction, string actor, GroupRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Channel) || request.MaxSwitching < 1)
        {
            throw BadRequest("A group needs a name, a channel and a cap of at least 1 device switching at once.");
        }
        ValidateWindow(request.Window);
        if (await transaction.GetGroupAsync(request.Name) is not null)
        {
            throw new FleetRequestException(409, $"Group {request.Name} exists.");
        }
        var group = new GroupRow
        {
            Name = request.Name, Channel = request.Channel, MaxSwitching = request.MaxSwitching,
            WindowCron = request.Window?.Cron, WindowTimeZone = request.Window?.TimeZone, WindowMinutes = request.Window?.DurationMinutes,
        };
        await transaction.InsertGroupAsync(group, Now);
        await AuditLog.AppendAsync(transaction, Now, actor, "create_group", "group/" + group.Name, null, null, group);
        return group;
    }

    public async Task<GroupRow> SetWindowAsync(IFleetTransaction transaction, string actor, string name, WindowRequest request)
    {
        ValidateWindow(request.Window);
        if (request.MaxSwitching is < 1)
        {
            throw BadRequest("The cap must be at least 1.");
        }
        var before = await transaction.GetGroupAsync(name) ?? throw NotFound($"Group {name} does not exist.");
        var after = before with
        {
            WindowCron = request.Window?.Cron, WindowTimeZone = request.Window?.TimeZone, WindowMinutes = request.Window?.DurationMinutes,
            MaxSwitching = request.MaxSwitching ?? before.MaxSwitching,
        };
        await transaction.UpdateGroupAsync(after);
        await AuditLog.AppendAsync(transaction, Now, actor, "set_window", "group/" + name, null, before, after);
        return after;
    }

    public async Task<TokenResponse> CreateTokenAsync(IFleetTransaction transaction, string actor, TokenRequest request)
    {
        if (request.MaxUses < 1 || request.ExpiresInHours < 1)
        {
            throw BadRequest("A token needs at least 1 use and at least 1 hour of validity.");
        }
        _ = await transaction.GetGroupAsync(request.Group) ?? throw NotFound($"Group {request.Group} does not exist.");
        var secret = SecretHash.NewSecret("et-");
        var row = new EnrolmentTokenRow
        {
            Id = "t-" + Guid.NewGuid().ToString("N")[..12], TokenHash = SecretHash.Of(secret), GroupName = request.Group, MaxUses = request.MaxUses,
            ExpiresAt = Now + (long)request.ExpiresInHours * 3600_000,
        };
        await transaction.InsertEnrolmentTokenAsync(row, Now);
        await AuditLog.AppendAsync(transaction, Now, actor, "create_token", "token/" + row.Id, null, null,
            new { group = row.GroupName, max_uses = row.MaxUses, expires_at = row.ExpiresAt });
        return new TokenResponse(row.Id, secret, row.GroupName, row.MaxUses, row.ExpiresAt);
    }

    public async Task<DeviceRow> RevokeDeviceAsync(IFleetTransaction transaction, string actor, string id, string reason)
    {
        var device = await transaction.GetDeviceAsync(id) ?? throw NotFound($"Device {id} does not exist.");
        await transaction.RevokeDeviceAsync(id, Now);
        await AuditLog.AppendAsync(transaction, Now, actor, "revoke", RolloutEngine.DeviceSubject(id), reason, new { revoked = device.RevokedAt is not null }, new { revoked = true });
        return (await transaction.GetDeviceAsync(id))!;
    }

    public async Task<RolloutRow> CreateRolloutAsync(IFleetTransaction transaction, string actor, RolloutRequest request)
    {
        var rings = RingAssignment.Parse(request.Rings ?? RingAssignment.Format(RingAssignment.DefaultRings))
            ?? throw BadRequest($"Invalid rings '{request.Rings}': increasing percentages ending at 100, e.g. 1,10,50,100.");
        var policy = request.Policy ?? RolloutPolicy.PullBack;
        if (!RolloutPolicy.IsValid(policy))
        {
            throw BadRequest($"Unknown policy '{policy}': {RolloutPolicy.HaltOnly} or {RolloutPolicy.PullBack}.");
        }
        if (request.Version < 1 || !Uri.TryCreate(request.RepositoryUrl, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(request.Channel)
            || request.AdvancePerMille is < 1 or > 1000 || request.MinConfirmed is < 0 || request.SilenceSeconds is < 1)
        {
            throw BadRequest("A rollout needs a channel, a version >= 1, an absolute repository URL; advance per mille 1..1000, min confirmed >= 0, silence >= 1 s.");
        }
        if (await transaction.GetOpenRolloutAsync(request.Channel) is { } open)
        {
            throw new FleetRequestException(409, $"Rollout {open.Id} of {open.Version} on {open.Channel} is {open.State}: abort it first.");
        }
        var row = new RolloutRow
        {
            Channel = request.Channel, Version = request.Version, RepositoryUrl = request.RepositoryUrl, Rings = RingAssignment.Format(rings),
            State = RolloutState.Active, Policy = policy, AdvancePerMille = request.AdvancePerMille ?? 999, MinConfirmed = request.MinConfirmed ?? 1,
            SilenceSeconds = request.SilenceSeconds ?? 30 * 60, CreatedAt = Now,
        };
        var id = await transaction.InsertRolloutAsync(row, rings.Count);
        await transaction.AddKnownVersionAsync(request.Version);
        await AuditLog.AppendAsync(transaction, Now, actor, "create_rollout", RolloutEngine.RolloutSubject(id), null, null, row with { Id = id });
        await engine.AdvanceAsync(transaction, id, Now);
        return (await transaction.GetRolloutAsync(id))!;
    }

    public Task<RolloutRow> PauseAsync(IFleetTransaction transaction, string actor, long id, string reason) =>
        ChangeStateAsync(transaction, actor, id, reason, "pause", [RolloutState.Active], RolloutState.Paused);

    public async Task<RolloutRow> ResumeAsync(IFleetTransaction transaction, string actor, long id, string reason)
    {
        var rollout = await ChangeStateAsync(transaction, actor, id, reason, "resume", [RolloutState.Paused, RolloutState.Halted], RolloutState.Active);
        await engine.AdvanceAsync(transaction, id, Now);
        return (await transaction.GetRolloutAsync(rollout.Id))!;
    }

    public Task<RolloutRow> AbortAsync(IFleetTransaction transaction, string actor, long id, string reason) =>
        ChangeStateAsync(transaction, actor, id, reason, "abort", [RolloutState.Active, RolloutState.Paused, RolloutState.Halted], RolloutState.Aborted);

    /// <summary>By hand: halt (if not already) and tell every device on the release or switching to it to go back.</summary>
    public async Task<RolloutRow> PullBackAsync(IFleetTransaction transaction, string actor, long id, string reason)
    {
        var rollout = await transaction.GetRolloutAsync(id) ?? throw NotFound($"Rollout {id} does not exist.");
        if (rollout.State is RolloutState.Active or RolloutState.Paused)
        {
            await transaction.SetRolloutStateAsync(id, RolloutState.Halted, reason, Now);
            await AuditLog.AppendAsync(transaction, Now, actor, "halt", RolloutEngine.RolloutSubject(id), reason, new { state = rollout.State }, new { state = RolloutState.Halted });
        }
        await engine.PullBackAsync(transaction, rollout, reason, actor, Now);
        return (await transaction.GetRolloutAsync(id))!;
    }

    /// <summary>Support: one device, a group, or every device on a version goes to <see cref="RollbackRequest.To"/> at its next check-in; rollouts leave them alone.</summary>
    public async Task<RollbackResponse> ForceRollbackAsync(IFleetTransaction transaction, string actor, RollbackRequest request)
    {
        var targets = (request.Device is null ? 0 : 1) + (request.Group is null ? 0 : 1) + (request.Version is null ? 0 : 1);
        if (targets != 1 || request.To < 1 || string.IsNullOrWhiteSpace(request.Reason))
        {
            throw BadRequest("Name exactly one of a device, a group or a version, a version to go back to, and a reason.");
        }
        IReadOnlyList<DeviceRow> devices = request.Device is { } one
            ? [await transaction.GetDeviceAsync(one) ?? throw NotFound($"Device {one} does not exist.")]
            : await transaction.ListDevicesAsync(request.Group, request.Version);
        var chosen = devices.Where(d => d.RevokedAt is null).ToList();
        foreach (var device in chosen)
        {
            await transaction.SetRollbackAsync(device.Id, request.To, request.Reason);
            foreach (var membership in await transaction.ListOpenMembershipsAsync(device.Id,
                [.. DeviceRolloutState.InFlight, DeviceRolloutState.Confirmed]))
            {
                await transaction.MoveRolloutDeviceAsync(membership.RolloutId, device.Id, membership.State, DeviceRolloutState.RolledBack, null,
                    "forced rollback: " + request.Reason, Now);
            }
            await AuditLog.AppendAsync(transaction, Now, actor, "force_rollback", RolloutEngine.DeviceSubject(device.Id), request.Reason,
                new { version = device.Version }, new { rollback_to = request.To });
        }
        return new RollbackResponse([.. chosen.Select(d => d.Id)]);
    }

    private async Task<RolloutRow> ChangeStateAsync(IFleetTransaction transaction, string actor, long id, string reason, string action,
        IReadOnlyList<string> from, string to)
    {
        var rollout = await transaction.GetRolloutAsync(id) ?? throw NotFound($"Rollout {id} does not exist.");
        if (!from.Contains(rollout.State))
        {
            throw new FleetRequestException(409, $"Rollout {id} is {rollout.State}; {action} needs it {string.Join(" or ", from)}.");
        }
        await transaction.SetRolloutStateAsync(id, to, reason, Now);
        await AuditLog.AppendAsync(transaction, Now, actor, action, RolloutEngine.RolloutSubject(id), reason, new { state = rollout.State }, new { state = to });
        return (await transaction.GetRolloutAsync(id))!;
    }

    private static void ValidateWindow(Core.Fleet.MaintenanceWindow? window)
    {
        if (window is not null && WindowSchedule.Validate(window) is { } problem)
        {
            throw BadRequest(problem);
        }
    }

    private static FleetRequestException BadRequest(string message) => new(400, message);

    private static FleetRequestException NotFound(string message) => new(404, message);
}

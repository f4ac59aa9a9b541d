using System.Globalization;
using Appliance.Core.Fleet;
using Appliance.Fleet.Api;
using Appliance.Fleet.Identity;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Appliance.Fleet.Serving;

/// <summary>
/// <c>/v1/admin/*</c>: every request needs <c>Authorization: Bearer &lt;operator token&gt;</c> (401 otherwise); a
/// device certificate grants nothing here. The token's name is the actor in the audit log.
/// </summary>
public sealed class OperatorEndpoints(IFleetStore store, OperatorActions actions)
{
    private const string ActorKey = "fleet.operator";

    public void Map(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup(FleetProtocol.OperatorPrefix).AddEndpointFilter(AuthenticateAsync);
        admin.MapGet("/devices", (string? group, int? version, HttpContext c) => Read(c, t => t.ListDevicesAsync(group, version)));
        admin.MapGet("/devices/{id}", (string id, HttpContext c) => Read(c, async t =>
        {
            var device = await t.GetDeviceAsync(id) ?? throw new FleetRequestException(404, $"Device {id} does not exist.");
            return new DeviceDetail(device, await t.ListActionsAsync(id, 20), await t.ListOpenMembershipsAsync(id,
                [.. DeviceRolloutState.InFlight, DeviceRolloutState.Confirmed, DeviceRolloutState.Failed, DeviceRolloutState.PulledBack, DeviceRolloutState.RolledBack]));
        }));
        admin.MapPost("/devices/{id}/revoke", (string id, ReasonRequest body, HttpContext c) => Write(c, (t, a) => actions.RevokeDeviceAsync(t, a, id, body.Reason)));
        admin.MapPost("/tokens", (TokenRequest body, HttpContext c) => Write(c, (t, a) => actions.CreateTokenAsync(t, a, body)));
        admin.MapGet("/groups", (Delegate)((HttpContext c) => Read(c, t => t.ListGroupsAsync())));
        admin.MapPost("/groups", (GroupRequest body, HttpContext c) => Write(c, (t, a) => actions.CreateGroupAsync(t, a, body)));
        admin.MapPut("/groups/{name}/window", (string name, WindowRequest body, HttpContext c) => Write(c, (t, a) => actions.SetWindowAsync(t, a, name, body)));
        admin.MapGet("/rollouts", (Delegate)((HttpContext c) => Read(c, t => t.ListRolloutsAsync())));
        admin.MapPost("/rollouts", (RolloutRequest body, HttpContext c) => Write(c, (t, a) => actions.CreateRolloutAsync(t, a, body)));
        admin.MapGet("/rollouts/{id:long}", (long id, HttpContext c) => Read(c, async t =>
        {
            var rollout = await t.GetRolloutAsync(id) ?? throw new FleetRequestException(404, $"Rollout {id} does not exist.");
            return new RolloutDetail(rollout, await t.GetRingCountersAsync(id), await t.ListRolloutDevicesAsync(id, null));
        }));
        admin.MapPost("/rollouts/{id:long}/pause", (long id, ReasonRequest body, HttpContext c) => Write(c, (t, a) => actions.PauseAsync(t, a, id, body.Reason)));
        admin.MapPost("/rollouts/{id:long}/resume", (long id, ReasonRequest body, HttpContext c) => Write(c, (t, a) => actions.ResumeAsync(t, a, id, body.Reason)));
        admin.MapPost("/rollouts/{id:long}/abort", (long id, ReasonRequest body, HttpContext c) => Write(c, (t, a) => actions.AbortAsync(t, a, id, body.Reason)));
        admin.MapPost("/rollouts/{id:long}/pull-back", (long id, ReasonRequest body, HttpContext c) => Write(c, (t, a) => actions.PullBackAsync(t, a, id, body.Reason)));
        admin.MapPost("/rollback", (RollbackRequest body, HttpContext c) => Write(c, (t, a) => actions.ForceRollbackAsync(t, a, body)));
        admin.MapGet("/audit", (long? after, string? subject, int? limit, HttpContext c) =>
            Read(c, t => t.QueryAuditAsync(after ?? 0, subject, Math.Clamp(limit ?? 1000, 1, 10_000))));
    }

    /// <summary>How an operator token's name appears as the actor in the audit log (the API and the web view alike).</summary>
    public static string Actor(string operatorName) => "operator/" + operatorName;

    private async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal) || header.Length == scheme.Length)
        {
            return Results.Json(new ErrorBody("Operator endpoints need Authorization: Bearer <operator token>."), statusCode: StatusCodes.Status401Unauthorized);
        }
        var hash = SecretHash.Of(header[scheme.Length..].Trim());
        var name = await store.InTransactionAsync(t => t.OperatorNameAsync(hash), http.RequestAborted);
        if (name is null)
        {
            return Results.Json(new ErrorBody("Unknown operator token."), statusCode: StatusCodes.Status401Unauthorized);
        }
        http.Items[ActorKey] = name;
        return await next(context);
    }

    private async Task<IResult> Read<T>(HttpContext context, Func<IFleetTransaction, Task<T>> query) =>
        Results.Json(await store.InTransactionAsync(query, context.RequestAborted), FleetApiJson.Options);

    private async Task<IResult> Write<T>(HttpContext context, Func<IFleetTransaction, string, Task<T>> change)
    {
        var actor = Actor(Convert.ToString(context.Items[ActorKey], CultureInfo.InvariantCulture)!);
        return Results.Json(await store.InTransactionAsync(t => change(t, actor), context.RequestAborted), FleetApiJson.Options);
    }
}

using System.Globalization;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Serving;
using Appliance.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Appliance.Fleet.Web;

/// <summary>
/// The web view under <c>/ui</c>: server-rendered HTML, no script. Pages read one snapshot each (no writers' lock);
/// actions are POST forms with a CSRF token that run the same <see cref="OperatorActions"/> as the API, with the
/// signed-in operator as the actor, then redirect to the page they changed (so a reload never repeats them).
/// </summary>
public sealed class WebEndpoints(IFleetStore store, OperatorActions actions, WebLogin login, int intervalSeconds)
{
    private const int MaxReasonLength = 500;

    private static readonly Dictionary<string, string> Done = new()
    {
        ["pause"] = "Paused.", ["resume"] = "Resumed.", ["abort"] = "Aborted.", ["pull-back"] = "Pulled back.",
        ["rollback"] = "The device rolls back at its next check-in.",
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect(WebLayout.Root + "/"));
        var ui = routes.MapGroup(WebLayout.Root);
        ui.MapGet("/style.css", (Delegate)WebStyle.Serve);
        ui.MapGet("/login", (string? @return, HttpContext c) => login.Form(c, @return));
        ui.MapPost("/login", (Delegate)login.SignInAsync);
        ui.MapPost("/logout", (Delegate)WebLogin.SignOutAsync);

        var pages = ui.MapGroup("").AddEndpointFilter(RequireOperatorAsync);
        pages.MapGet("/", (Delegate)((HttpContext c) => Page(c, "Fleet", async r => await store.ReadAsync(async (t, v) =>
            OverviewPage.Render(await v.CountDevicesAsync(SilentBefore()), await t.ListRolloutsAsync()), r.Aborted))));
        pages.MapGet("/devices", (string? group, int? version, string? state, string? after, HttpContext c) =>
            Page(c, "Devices", async r =>
            {
                var filter = new DeviceFilter(Blank(group), version, DeviceState.All.Contains(state) ? state : null);
                var rows = await store.ReadAsync((_, v) => v.PageDevicesAsync(filter, SilentBefore(), after, DevicesPage.PageSize + 1), r.Aborted);
                return DevicesPage.Render(filter, [.. rows.Take(DevicesPage.PageSize)], rows.Count > DevicesPage.PageSize);
            }));
        pages.MapGet("/devices/{id}", (string id, string? done, HttpContext c) => Page(c, "Device " + id, async r =>
            DevicePage.Render(r, await store.ReadAsync(async (t, v) => new DeviceView(
                await t.GetDeviceAsync(id) ?? throw new FleetRequestException(404, $"Device {id} does not exist."),
                await t.ListActionsAsync(id, DevicePage.ActionEntries),
                await t.ListOpenMembershipsAsync(id, DeviceRolloutState.All),
                await v.PageAuditAsync(RolloutEngine.DeviceSubject(id), null, DevicePage.AuditEntries)), r.Aborted), Flash(done))));
        pages.MapGet("/rollouts/{id:long}", (long id, string? state, string? after, string? done, HttpContext c) =>
            Page(c, "Rollout " + id.ToString(CultureInfo.InvariantCulture), async r =>
                RolloutPage.Render(r, await ReadRolloutAsync(id, state, after, r.Aborted), Flash(done))));
        pages.MapGet("/audit", (string? subject, long? before, HttpContext c) => Page(c, "Audit log", async r =>
        {
            var rows = await store.ReadAsync((_, v) => v.PageAuditAsync(Blank(subject), before, AuditPage.PageSize + 1), r.Aborted);
            return AuditPage.Render(Blank(subject), [.. rows.Take(AuditPage.PageSize)], rows.Count > AuditPage.PageSize);
        }));

        pages.MapPost("/rollouts/{id:long}/pause", (long id, HttpContext c) => RolloutActionAsync(c, id, "pause", actions.PauseAsync));
        pages.MapPost("/rollouts/{id:long}/resume", (long id, HttpContext c) => RolloutActionAsync(c, id, "resume", actions.ResumeAsync));
        pages.MapPost("/rollouts/{id:long}/abort", (long id, HttpContext c) => RolloutActionAsync(c, id, "abort", actions.AbortAsync));
        pages.MapPost("/rollouts/{id:long}/pull-back", (long id, HttpContext c) => RolloutActionAsync(c, id, "pull-back", actions.PullBackAsync));
        pages.MapPost("/devices/{id}/rollback", (Delegate)RollbackAsync);
    }

    private static async ValueTask<object?> RequireOperatorAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (WebLogin.Current(http) is null)
        {
            // A POST is not replayed after sign-in: its form lost its token with the session anyway.
            var back = HttpMethods.IsGet(http.Request.Method) ? http.Request.Path + http.Request.QueryString : null;
            return Results.Redirect(WebLogin.LoginPath(back));
        }
        return await next(context);
    }

    private long SilentBefore() =>
        DateTimeOffset.UtcNow.AddSeconds(-DeviceState.SilentAfterIntervals * intervalSeconds).ToUnixTimeMilliseconds();

    private async Task<RolloutView> ReadRolloutAsync(long id, string? state, string? after, CancellationToken cancellationToken)
    {
        var listed = state is not null && DeviceRolloutState.All.Contains(state) ? state : DeviceRolloutState.Failed;
        return await store.ReadAsync(async (t, v) =>
        {
            var rollout = await t.GetRolloutAsync(id) ?? throw new FleetRequestException(404, $"Rollout {id} does not exist.");
            var rings = RingAssignment.Parse(rollout.Rings)!;
            var members = new List<long>();
            for (var ring = 0; ring < rings.Count; ring++)
            {
                var (from, to) = RingAssignment.BucketRange(ring, rings);
                members.Add(await t.CountDevicesInBucketsAsync(rollout.Channel, from, to));
            }
            var page = await v.PageRolloutDevicesAsync(id, listed, after, RolloutPage.PageSize + 1);
            return new RolloutView(rollout, rings, await t.GetRingCountersAsync(id), members, await v.CountRolloutDevicesAsync(id), listed,
                [.. page.Take(RolloutPage.PageSize)], page.Count > RolloutPage.PageSize);
        }, cancellationToken);
    }

    private async Task<IResult> RolloutActionAsync(HttpContext context, long id, string action,
        Func<IFleetTransaction, string, long, string, Task<RolloutRow>> change)
    {
        var path = $"{WebLayout.Root}/rollouts/{id}";
        return await ActAsync(context, path, async (request, form) =>
        {
            var reason = Reason(form["reason"].ToString());
            await store.InTransactionAsync(t => change(t, OperatorEndpoints.Actor(request.Operator), id, reason), request.Aborted);
            return $"{path}?done={action}";
        });
    }

    private Task<IResult> RollbackAsync(HttpContext context, string id)
    {
        var path = $"{WebLayout.Root}/devices/{Uri.EscapeDataString(id)}";
        return ActAsync(context, path, async (request, form) =>
        {
            var reason = Reason(form["reason"].ToString());
            if (!int.TryParse(form["to"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < 1)
            {
                throw new FleetRequestException(400, "The version to roll back to must be a number of at least 1.");
            }
            await store.InTransactionAsync(t => actions.ForceRollbackAsync(t, OperatorEndpoints.Actor(request.Operator),
                new RollbackRequest(id, null, null, to, reason)), request.Aborted);
            return $"{path}?done=rollback";
        });
    }

    /// <summary>Checks the CSRF token, runs the action, and redirects to where it went; a refusal is shown as a page with its status.</summary>
    private static async Task<IResult> ActAsync(HttpContext context, string back, Func<WebRequest, IFormCollection, Task<string>> act)
    {
        var request = WebLogin.Current(context)!;
        if (!await WebLogin.CsrfValidAsync(context))
        {
            return WebLayout.Refusal(request, StatusCodes.Status400BadRequest, "The form expired or did not come from this site: nothing was done. Reload the page and try again.", back);
        }
        try
        {
            var form = await context.Request.ReadFormAsync(request.Aborted);
            return Results.Redirect(await act(request, form));
        }
        catch (FleetRequestException e)
        {
            return WebLayout.Refusal(request, e.StatusCode, e.Message, back);
        }
    }

    private static async Task<IResult> Page(HttpContext context, string title, Func<WebRequest, Task<Html>> render)
    {
        var request = WebLogin.Current(context)!;
        try
        {
            return WebLayout.Page(request, title, await render(request));
        }
        catch (FleetRequestException e)
        {
            return WebLayout.Refusal(request, e.StatusCode, e.Message, WebLayout.Root + "/");
        }
    }

    private static string Reason(string text) =>
        string.IsNullOrWhiteSpace(text) || text.Length > MaxReasonLength
            ? throw new FleetRequestException(400, $"Give a reason (at most {MaxReasonLength} characters): it goes to the audit log.")
            : text.Trim();

    private static string? Flash(string? done) => done is not null && Done.TryGetValue(done, out var text) ? text : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

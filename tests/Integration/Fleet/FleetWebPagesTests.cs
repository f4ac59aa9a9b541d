using System.Net;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// The web view's pages and its guards over HTTP against the real fleet process, once per store (the subclasses:
/// SQLite and a real PostgreSQL), so every query of the view runs on both.
/// </summary>
public abstract class FleetWebPagesTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private RunningFleet fleet = null!;

    /// <summary>The <c>fleet serve</c> options that choose the store.</summary>
    protected abstract string[] StoreOptions { get; }

    public async Task InitializeAsync() => fleet = await RunningFleet.StartAsync(temp.File("fleet"), StoreOptions);

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Every_page_shows_the_fleet_as_the_api_knows_it_and_encodes_what_devices_and_operators_wrote()
    {
        var token = await fleet.GroupWithTokenAsync("<lab & co>", maxUses: 6);
        using var population = fleet.NewPopulation(6, version: 1);
        Assert.Empty(await population.EnrolAllAsync(token));
        var failing = population.Devices[0];
        failing.Behaviour = SimulatedBehaviour.FailsTrial;
        var id = (await fleet.AdminAsync(HttpMethod.Post, "/rollouts",
            new RolloutRequest("stable", 2, "https://127.0.0.1:8443/", "100", RolloutPolicy.HaltOnly, null, 1, null))).GetProperty("id").GetInt64();
        for (var round = 0; round < 3; round++)
        {
            await population.RoundAsync();
        }
        var rollout = await fleet.RolloutAsync(id);
        using var client = await WebSession.SignInAsync(fleet);

        var overview = await client.GetStringAsync("/ui/");
        Assert.Contains("<td class=\"n\" id=\"total\"><a href=\"/ui/devices\">6</a></td>", overview, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"state-{rollout.GetProperty("state").GetString()}\">", overview, StringComparison.Ordinal);

        var devices = await client.GetStringAsync("/ui/devices?state=ok");
        Assert.Contains("&lt;lab &amp; co&gt;", devices, StringComparison.Ordinal);
        Assert.DoesNotContain("<lab & co>", devices, StringComparison.Ordinal);
        var onTwo = await client.GetStringAsync("/ui/devices?version=2&state=ok");
        Assert.Contains(population.Devices[1].DeviceId, onTwo, StringComparison.Ordinal);
        Assert.DoesNotContain(failing.DeviceId, onTwo, StringComparison.Ordinal);
        Assert.Contains(failing.DeviceId, await client.GetStringAsync("/ui/devices?version=1&state=ok"), StringComparison.Ordinal);

        var page = await client.GetStringAsync($"/ui/rollouts/{id}");
        Assert.Contains($"<dd class=\"state-halted\" id=\"state\">halted</dd>", page, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(rollout.GetProperty("state_reason").GetString()!), page, StringComparison.Ordinal);
        Assert.Contains(failing.DeviceId, page, StringComparison.Ordinal);

        var device = await client.GetStringAsync($"/ui/devices/{failing.DeviceId}");
        Assert.Contains("<td class=\"state-rejected\">rejected</td>", device, StringComparison.Ordinal);
        Assert.Contains("device_failed", device, StringComparison.Ordinal);
        var audit = await client.GetStringAsync($"/ui/audit?subject=rollout/{id}");
        Assert.Contains("halt", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("create_group", audit, StringComparison.Ordinal);

        using var missing = await client.GetAsync("/ui/devices/d-none");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Pages_need_a_signed_in_operator_and_actions_need_the_pages_form_token()
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        { BaseAddress = fleet.Address };
        using var page = await anonymous.GetAsync("/ui/audit?subject=x");
        Assert.Equal((HttpStatusCode.Redirect, "/ui/login?return=%2Fui%2Faudit%3Fsubject%3Dx"), (page.StatusCode, page.Headers.Location?.OriginalString));
        using var forgedCookie = new HttpRequestMessage(HttpMethod.Get, "/ui/");
        forgedCookie.Headers.Add("Cookie", "fleet_session=CfDJ8forged");
        using var forged = await anonymous.SendAsync(forgedCookie);
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        // The operator token is a bearer credential for the API only: it does not open the pages.
        using var bearer = fleet.CreateOperatorClient();
        using var withToken = await bearer.GetAsync("/ui/");
        Assert.Equal("/ui/login", withToken.RequestMessage!.RequestUri!.AbsolutePath);

        using var client = await WebSession.SignInAsync(fleet);
        using var noToken = await client.PostAsync("/ui/devices/d-x/rollback", new FormUrlEncodedContent([new("to", "1"), new("reason", "r")]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var body = await noToken.Content.ReadAsStringAsync();
        Assert.Contains("nothing was done", body, StringComparison.Ordinal);
        Assert.DoesNotContain((await fleet.AdminAsync(HttpMethod.Get, "/audit")).EnumerateArray(), e => e.GetProperty("action").GetString() == "force_rollback");
        // No script may run on any page: everything falls back to default-src 'none', and nothing allows scripts.
        using var policy = await client.GetAsync("/ui/");
        var header = policy.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none';", header, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", header, StringComparison.Ordinal);
    }
}

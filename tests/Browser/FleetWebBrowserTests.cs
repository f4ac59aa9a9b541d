using System.Diagnostics;
using System.Net;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.Browser;

/// <summary>
/// The web view in a real headless Chromium against the real <c>fleet serve</c> process: an operator signs in, pauses
/// and resumes a rollout, watches it halt on a failed canary (simulated appliances reporting over mutual TLS), forces a
/// device back, pulls the rollout back, and reads it all in the audit log; the API then says the same. Screenshots
/// of the main pages go to artifacts/test-results/screenshots/.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FleetWebBrowserTests(ITestOutputHelper output)
{
    private const int Population = 20;

    [ToolFact("chromium", "chromedriver")]
    public async Task An_operator_signs_in_sees_a_rollout_halt_forces_a_rollback_and_pulls_the_rollout_back_in_a_browser()
    {
        var clock = Stopwatch.StartNew();
        using var temp = new TempDirectory();
        await using var fleet = await RunningFleet.StartAsync(temp.File("fleet"));
        var token = await fleet.GroupWithTokenAsync("berlin", maxUses: Population);
        using var population = fleet.NewPopulation(Population, version: 1);
        Assert.Empty(await population.EnrolAllAsync(token));
        await RoundAsync(population);
        // Rings 50 % and 100 %: one canary device fails its trial, which halts the rollout (any canary failure).
        var rings = new[] { 50, 100 };
        var canary = population.Devices.Where(d => RingAssignment.Ring(RingAssignment.Bucket(d.DeviceId), rings) == 0).ToList();
        var failing = canary[0];
        failing.Behaviour = SimulatedBehaviour.FailsTrial;
        var id = (await fleet.AdminAsync(HttpMethod.Post, "/rollouts",
            new RolloutRequest("stable", 2, "https://127.0.0.1:8443/", "50,100", RolloutPolicy.HaltOnly, null, 1, null))).GetProperty("id").GetInt64();
        var rolloutPage = new Uri(fleet.Address, $"/ui/rollouts/{id}");
        using var browser = new HeadlessChromium();
        var started = clock.Elapsed;

        browser.Open(rolloutPage);
        Assert.Equal("/ui/login", browser.Url.AbsolutePath);
        browser.Type("token", "op-not-a-token");
        browser.Click("sign-in");
        Assert.Equal("Unknown operator token.", browser.Text("error"));
        browser.Screenshot("login-refused");
        browser.Type("token", fleet.OperatorToken);
        browser.Click("sign-in");
        Assert.Equal(rolloutPage.AbsolutePath, browser.Url.AbsolutePath);
        Assert.Equal("admin", browser.Text("operator"));

        browser.Type("reason-input", "change freeze");
        browser.Click("pause");
        Assert.Equal(("paused", "change freeze", "Paused."), (browser.Text("state"), browser.Text("reason"), browser.Text("flash")));
        browser.Type("reason-input", "freeze over");
        browser.Click("resume");
        Assert.Equal("active", browser.Text("state"));

        // A POST with the session cookie but without the page's form token is refused and changes nothing.
        using (var forged = CookieClient(fleet, browser))
        {
            using var response = await forged.PostAsync($"/ui/rollouts/{id}/pause", new FormUrlEncodedContent([new("reason", "forged")]));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(RolloutState.Active, (await fleet.RolloutAsync(id)).GetProperty("state").GetString());

        // Stage, apply, report: the canary switches, the failing device's trial fails and its report halts the rollout.
        for (var round = 0; round < 3; round++)
        {
            await RoundAsync(population);
        }
        browser.Open(rolloutPage);
        Assert.Equal("halted", browser.Text("state"));
        Assert.Equal("1 failure(s) in the canary ring", browser.Text("reason"));
        Assert.StartsWith($"1 failed of {canary.Count} given", browser.Text("failure-rate"), StringComparison.Ordinal);
        Assert.Contains(failing.DeviceId, browser.Text("listed"), StringComparison.Ordinal);
        Assert.Contains($"1 ‰", browser.Text("failure-rate"), StringComparison.Ordinal);
        Shot(browser, "rollout-halted");

        // Support forces one healthy canary device back; the reason is shown as the text it is, never as markup.
        var forced = canary[1];
        Assert.Equal(2, forced.Booted);
        const string reason = "ticket <b>42</b> & \"urgent\"";
        browser.Open(new Uri(fleet.Address, $"/ui/devices/{forced.DeviceId}"));
        Assert.Contains("confirmed", browser.Text("boot-history"), StringComparison.Ordinal);
        browser.Type("rollback-to", "1");
        browser.Type("rollback-reason", reason);
        browser.Click("force-rollback");
        Assert.Equal("The device rolls back at its next check-in.", browser.Text("flash"));
        Assert.Equal("to 1: " + reason, browser.Text("rollback-pending"));
        Assert.Contains(reason, browser.Text("audit"), StringComparison.Ordinal);
        Shot(browser, "device-forced-rollback");
        var device = await fleet.AdminAsync(HttpMethod.Get, $"/devices/{forced.DeviceId}");
        Assert.Equal((1, reason), (device.GetProperty("device").GetProperty("rollback_to").GetInt32(), device.GetProperty("device").GetProperty("rollback_reason").GetString()));

        browser.Open(rolloutPage);
        browser.Type("reason-input", "bad canary");
        browser.Click("pull-back");
        Assert.Equal(("halted", "Pulled back."), (browser.Text("state"), browser.Text("flash")));
        var pulledBack = canary.Count - 2;
        Assert.Contains($"{pulledBack}", browser.Text("device-states"), StringComparison.Ordinal);
        Shot(browser, "rollout-pulled-back");

        var audit = (await fleet.AdminAsync(HttpMethod.Get, $"/audit")).EnumerateArray().ToList();
        var byOperator = audit.Where(e => e.GetProperty("actor").GetString() == "operator/admin")
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("reason").GetString())).ToList();
        Assert.Equal([("pause", "change freeze"), ("resume", "freeze over"), ("force_rollback", reason), ("pull_back", "bad canary")],
            byOperator.Where(e => e.Item1 != "create_group" && e.Item1 != "create_token" && e.Item1 != "create_rollout"));
        Assert.Equal(pulledBack, audit.Single(e => e.GetProperty("action").GetString() == "pull_back").GetProperty("after").GetString() is { } after
            ? System.Text.Json.JsonDocument.Parse(after).RootElement.GetProperty("devices").GetInt32() : -1);

        // The devices act on it at their next check-ins: everyone is back on 1.
        await RoundAsync(population);
        await RoundAsync(population);
        Assert.All(population.Devices, d => Assert.Equal(1, d.Booted));

        browser.Open(new Uri(fleet.Address, "/ui/audit"));
        Assert.Contains("pull_back", browser.Text("audit"), StringComparison.Ordinal);
        Shot(browser, "audit");
        browser.Open(new Uri(fleet.Address, "/ui/"));
        Assert.Equal(Population.ToString(System.Globalization.CultureInfo.InvariantCulture), browser.Text("total"));
        Assert.Contains("halted", browser.Text("rollouts"), StringComparison.Ordinal);
        Shot(browser, "overview");
        browser.Open(new Uri(fleet.Address, "/ui/devices?version=1"));
        Assert.Contains(failing.DeviceId, browser.Text("devices"), StringComparison.Ordinal);
        Shot(browser, "devices");

        browser.Click("sign-out");
        browser.Open(new Uri(fleet.Address, "/ui/"));
        Assert.Equal("/ui/login", browser.Url.AbsolutePath);
        output.WriteLine($"fleet started and {Population} devices enrolled in {started.TotalSeconds:F1} s; whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private void Shot(HeadlessChromium browser, string name) => output.WriteLine($"screenshot {browser.Screenshot(name)}");

    private static async Task RoundAsync(SimulatedPopulation population)
    {
        var counts = await population.RoundAsync();
        Assert.True(counts.Keys.All(k => k == HttpStatusCode.OK), string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
    }

    /// <summary>An HTTP client that sends the browser's session cookie, and nothing else a page would add.</summary>
    private static HttpClient CookieClient(RunningFleet fleet, HeadlessChromium browser)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(fleet.CertificatePem);
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString() == pinned.GetCertHashString() },
        })
        { BaseAddress = fleet.Address };
        client.DefaultRequestHeaders.Add("Cookie", $"fleet_session={browser.Cookie("fleet_session")}; fleet_csrf={browser.Cookie("fleet_csrf")}");
        return client;
    }
}

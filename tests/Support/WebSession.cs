using System.Net;
using System.Text.RegularExpressions;

namespace Appliance.Tests.Support;

/// <summary>An HTTP client signed in to a fleet's web view the way a browser is: sign-in form, its CSRF token, the session cookie.</summary>
public static partial class WebSession
{
    public static async Task<HttpClient> SignInAsync(RunningFleet fleet)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(fleet.CertificatePem);
        var client = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetCertHashString() == pinned.GetCertHashString() },
        })
        { BaseAddress = fleet.Address };
        var form = await client.GetStringAsync("/ui/login");
        var csrf = CsrfField().Match(form) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no CSRF field:\n" + form);
        using var response = await client.PostAsync("/ui/login", new FormUrlEncodedContent([new("csrf", csrf), new("token", fleet.OperatorToken)]));
        var page = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !page.Contains("id=\"sign-out\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}\n{page}");
        }
        return client;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}

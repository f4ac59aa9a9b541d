using System.Security.Claims;
using Appliance.Fleet.Identity;
using Appliance.Fleet.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Appliance.Fleet.Web;

/// <summary>
/// Operators sign in with the operator token the API takes (stored hashed; its name is the actor in the audit log).
/// The session is an encrypted, authenticated cookie (ASP.NET data protection, keys in the data directory so every
/// node on it reads every session), Secure, HttpOnly, SameSite=Strict, and it holds the token's hash, so a token
/// removed from the database ends its sessions at their next request. Every POST form carries an antiforgery token.
/// </summary>
public sealed class WebLogin(IFleetStore store)
{
    public const string Scheme = "fleet-web";
    public const string CsrfField = "csrf";
    private const string TokenHashClaim = "fleet:token_hash";
    private const string KeysDirectory = "web-keys";

    public static void AddServices(IServiceCollection services, IFleetStore store, string dataDirectory)
    {
        var keys = Path.Combine(dataDirectory, KeysDirectory);
        Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection().SetApplicationName("appliance-fleet").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddAuthentication(Scheme).AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "fleet_session";
            options.Cookie.Path = WebLayout.Root;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = async context =>
            {
                var hash = context.Principal?.FindFirstValue(TokenHashClaim);
                if (hash is null || await store.ReadAsync((t, _) => t.OperatorNameAsync(hash), context.HttpContext.RequestAborted) is null)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = CsrfField;
            options.Cookie.Name = "fleet_csrf";
            options.Cookie.Path = WebLayout.Root;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    /// <summary>The signed-in operator's request, or null when nobody is signed in.</summary>
    public static WebRequest? Current(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.Name) is { } name
            ? new WebRequest(context, name, Csrf(context))
            : null;

    public static string Csrf(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;

    /// <summary>False (and the caller answers 400) when a POST lacks this site's antiforgery token.</summary>
    public static async Task<bool> CsrfValidAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    public static string LoginPath(string? returnTo) =>
        WebLayout.Root + "/login" + (returnTo is null ? "" : "?" + WebFormat.Query(("return", returnTo)));

    public IResult Form(HttpContext context, string? returnTo, string? problem = null, int statusCode = 200) =>
        WebLayout.Bare("Operator sign-in", Html.Of($"""
            {(problem is null ? Html.Empty : Html.Of($"<p class=\"error\" id=\"error\">{problem}</p>"))}
            <form method="post" action="{WebLayout.Root}/login" id="login">
            <input type="hidden" name="{CsrfField}" value="{Csrf(context)}">
            <input type="hidden" name="return" value="{returnTo ?? ""}">
            <p><label for="token">Operator token</label><br><input type="password" id="token" name="token" autocomplete="current-password" required></p>
            <p><button type="submit" id="sign-in">Sign in</button></p>
            </form>
            <p>The first token is <code>operator.token</code> in the service's data directory.</p>
            """), statusCode);

    public async Task<IResult> SignInAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnTo = Local(form["return"].ToString());
        if (!await CsrfValidAsync(context))
        {
            return Form(context, returnTo, "The form expired or did not come from this site: sign in again.", StatusCodes.Status400BadRequest);
        }
        var hash = SecretHash.Of(form["token"].ToString().Trim());
        var name = await store.ReadAsync((t, _) => t.OperatorNameAsync(hash), context.RequestAborted);
        if (name is null)
        {
            return Form(context, returnTo, "Unknown operator token.", StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(TokenHashClaim, hash)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnTo ?? WebLayout.Root + "/", permanent: false, preserveMethod: false);
    }

    public static async Task<IResult> SignOutAsync(HttpContext context)
    {
        if (!await CsrfValidAsync(context))
        {
            return WebLayout.Bare("Not signed out", Html.Text("The form expired or did not come from this site."), StatusCodes.Status400BadRequest);
        }
        await context.SignOutAsync(Scheme);
        return Results.Redirect(LoginPath(null));
    }

    /// <summary>Only a path of this web view is followed after sign-in (no open redirect).</summary>
    private static string? Local(string path) =>
        path.StartsWith(WebLayout.Root + "/", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? path : null;
}

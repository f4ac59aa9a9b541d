using System.Text;
using Microsoft.AspNetCore.Http;

namespace Appliance.Fleet.Web;

/// <summary>
/// A page: UTF-8 HTML, never cached (it shows live state and carries a CSRF token), and a content security policy
/// that allows no script at all and only this site's stylesheet, forms and links.
/// </summary>
public sealed class HtmlResult(Html page, int statusCode = StatusCodes.Status200OK) : IResult
{
    public const string SecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Html Page => page;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        SetSecurityHeaders(response);
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync("<!DOCTYPE html>\n" + page.Markup, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void SetSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = SecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}

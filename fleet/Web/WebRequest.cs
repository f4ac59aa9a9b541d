using Microsoft.AspNetCore.Http;

namespace Appliance.Fleet.Web;

/// <summary>One page request of a signed-in operator: who, and the CSRF token every form on the page carries.</summary>
public sealed record WebRequest(HttpContext Http, string Operator, string CsrfToken)
{
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The hidden field that makes a form acceptable to <see cref="WebLogin"/>'s CSRF check.</summary>
    public Html CsrfField => Html.Of($"<input type=\"hidden\" name=\"{WebLogin.CsrfField}\" value=\"{CsrfToken}\">");
}

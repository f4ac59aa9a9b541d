namespace Appliance.Fleet.Web;

/// <summary>The frame of every page: title, navigation, who is signed in and the sign-out button.</summary>
public static class WebLayout
{
    public const string Root = "/ui";

    public static HtmlResult Page(WebRequest request, string title, Html body, int statusCode = 200) =>
        new(Html.Of($"""
            <html lang="en"><head><meta charset="utf-8"><title>{title} · fleet</title>
            <link rel="stylesheet" href="{Root}/style.css"></head>
            <body><header><nav><a href="{Root}/">Fleet</a> <a href="{Root}/devices">Devices</a> <a href="{Root}/audit">Audit log</a></nav>
            <form method="post" action="{Root}/logout" class="signout">{request.CsrfField}<span id="operator">{request.Operator}</span>
            <button type="submit" id="sign-out">Sign out</button></form></header>
            <main><h1>{title}</h1>
            {body}
            </main></body></html>
            """), statusCode);

    /// <summary>A page without navigation (sign-in, and refusals before anyone signed in).</summary>
    public static HtmlResult Bare(string title, Html body, int statusCode = 200) =>
        new(Html.Of($"""
            <html lang="en"><head><meta charset="utf-8"><title>{title} · fleet</title>
            <link rel="stylesheet" href="{Root}/style.css"></head>
            <body><main class="narrow"><h1>{title}</h1>
            {body}
            </main></body></html>
            """), statusCode);

    /// <summary>A refused action: its status and the service's own message, with the way back.</summary>
    public static HtmlResult Refusal(WebRequest request, int statusCode, string message, string back) =>
        Page(request, "Not done", Html.Of($"""<p class="error" id="error">{message}</p><p><a href="{back}">Back</a></p>"""), statusCode);

    public static Html Flash(string? text) =>
        text is null ? Html.Empty : Html.Of($"""<p class="flash" id="flash">{text}</p>""");
}

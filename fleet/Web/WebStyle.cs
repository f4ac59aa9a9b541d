using Microsoft.AspNetCore.Http;

namespace Appliance.Fleet.Web;

/// <summary>The one stylesheet (served, not inline, so the content security policy needs no 'unsafe-inline').</summary>
public static class WebStyle
{
    private const string Css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
        header { display: flex; justify-content: space-between; align-items: center; background: #1f3a5f; color: #fff; padding: .5em 1.5em; }
        header a { color: #fff; margin-right: 1.2em; text-decoration: none; font-weight: 600; }
        header form { margin: 0; } header span { margin-right: .8em; }
        main { padding: 1em 1.5em; } main.narrow { max-width: 28em; margin: 3em auto; background: #fff; border: 1px solid #d0d7de; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; background: #fff; margin: .5em 0; }
        th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
        th { background: #eef1f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .state-halted, .state-failed, .error { color: #b42318; font-weight: 600; }
        .state-active, .state-confirmed { color: #067647; font-weight: 600; } .state-paused { color: #b54708; font-weight: 600; }
        .flash { background: #ecfdf3; border: 1px solid #75e0a7; padding: .5em; } .error { background: #fef3f2; border: 1px solid #fda29b; padding: .5em; }
        form.action { display: inline-block; margin: .3em 1em .3em 0; } input[type=text] { width: 18em; }
        td code { display: block; max-width: 28em; white-space: pre-wrap; overflow-wrap: anywhere; }
        pre { background: #fff; border: 1px solid #d0d7de; padding: .5em; overflow: auto; max-height: 20em; }
        meter { width: 8em; } dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; } dt { font-weight: 600; }
        """;

    public static IResult Serve(HttpContext context)
    {
        HtmlResult.SetSecurityHeaders(context.Response);
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(Css, "text/css; charset=utf-8");
    }
}

using System.Text.Encodings.Web;

namespace Appliance.Fleet.Web;

/// <summary>
/// Markup that is safe to send: made only from an <see cref="HtmlInterpolation"/>, whose every hole is HTML-encoded
/// unless it is itself <see cref="Html"/>. No page can put a device's or an operator's text into markup unencoded.
/// </summary>
public readonly struct Html
{
    private readonly string? markup;

    private Html(string markup) => this.markup = markup;

    public static Html Empty { get; } = new("");

    public string Markup => markup ?? "";

    public static Html Of(HtmlInterpolation markup) => new(markup.ToString());

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Markup)));

    /// <summary>The encoded text, for a value that is all a fragment is.</summary>
    public static Html Text(string? text) => new(HtmlEncoder.Default.Encode(text ?? ""));

    /// <summary>Markup written in this assembly as a constant (the stylesheet link, fixed fragments).</summary>
    internal static Html Trusted(string markup) => new(markup);

    public override string ToString() => Markup;
}

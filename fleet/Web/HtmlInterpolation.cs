using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Appliance.Fleet.Web;

/// <summary>Builds <see cref="Html"/> from <c>$"..."</c>: literals are markup, every value is encoded, <see cref="Html"/> values are kept.</summary>
[InterpolatedStringHandler]
public readonly struct HtmlInterpolation
{
    private readonly StringBuilder builder;

    public HtmlInterpolation(int literalLength, int formattedCount) => builder = new StringBuilder(literalLength + (formattedCount * 16));

    public void AppendLiteral(string value) => builder.Append(value);

    public void AppendFormatted(Html value) => builder.Append(value.Markup);

    public void AppendFormatted<T>(T value) => Encode(Convert.ToString(value, CultureInfo.InvariantCulture));

    public void AppendFormatted<T>(T value, string format) where T : IFormattable => Encode(value.ToString(format, CultureInfo.InvariantCulture));

    public override string ToString() => builder.ToString();

    private void Encode(string? text) => builder.Append(HtmlEncoder.Default.Encode(text ?? ""));
}

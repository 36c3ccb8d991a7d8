using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// Markup that is safe to emit. It is only made by <see cref="Of"/>, where every interpolated value that is not
/// itself <see cref="Html"/> is HTML-encoded, so recorded text can never become markup by forgetting to encode it.
/// </summary>
public readonly record struct Html
{
    private readonly string? _markup;

    private Html(string markup) => _markup = markup;

    public static Html Empty => default;

    public static Html Of(ref Builder markup) => new(markup.ToStringAndClear());

    public static Html When(bool condition, Html markup) => condition ? markup : Empty;

    public override string ToString() => _markup ?? "";

    // every script stays readable in the page source; only markup-significant characters are escaped
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Encode(string? text) => Encoder.Encode(text ?? "");

    [InterpolatedStringHandler]
    public ref struct Builder
    {
        private readonly StringBuilder _text;

        public Builder(int literalLength, int formattedCount) => _text = new StringBuilder(literalLength + formattedCount * 16);

        public readonly void AppendLiteral(string literal) => _text.Append(literal);

        public readonly void AppendFormatted(Html markup) => _text.Append(markup._markup);

        public readonly void AppendFormatted(IEnumerable<Html> parts)
        {
            foreach (var part in parts)
            {
                _text.Append(part._markup);
            }
        }

        public readonly void AppendFormatted(string? text) => _text.Append(Encode(text));

        public readonly void AppendFormatted<T>(T value, string? format = null)
        {
            if (value is IEnumerable<Html> parts)
            {
                AppendFormatted(parts);
                return;
            }

            _text.Append(Encode(value is IFormattable formattable
                ? formattable.ToString(format, CultureInfo.InvariantCulture)
                : value?.ToString()));
        }

        public readonly string ToStringAndClear()
        {
            var markup = _text.ToString();
            _text.Clear();
            return markup;
        }
    }
}

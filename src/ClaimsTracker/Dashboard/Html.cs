using System.Buffers;
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
/// <remarks>
/// Markup is kept as the pieces it was made of (literals, encoded values, nested markup) and written out once, to the
/// response: a page is never copied into a string per level of nesting. A board page of 50 claims is 55 KB; copied
/// whole at each of its four levels, every request made four strings of over 85 KB, each on the large object heap,
/// whose churn drove the service into a full garbage collection every few requests.
/// </remarks>
public readonly struct Html
{
    /// <summary>null (nothing), a string, or a list of these nodes.</summary>
    private readonly object? _node;

    private Html(object? node) => _node = node;

    public static Html Empty => default;

    public static Html Of(ref Builder markup) => new(markup.Take());

    public static Html When(bool condition, Html markup) => condition ? markup : Empty;

    public override string ToString()
    {
        if (_node is null or string)
        {
            return (string?)_node ?? "";
        }

        var text = new StringBuilder();
        foreach (var piece in Pieces(_node))
        {
            text.Append(piece);
        }

        return text.ToString();
    }

    /// <summary>The UTF-8 length of the markup.</summary>
    public int ByteCount()
    {
        var count = 0;
        foreach (var piece in Pieces(_node))
        {
            count += Encoding.UTF8.GetByteCount(piece);
        }

        return count;
    }

    /// <summary>Writes the markup as UTF-8, piece by piece, through one pooled buffer.</summary>
    public async Task WriteTo(Stream stream, CancellationToken ct)
    {
        const int Size = 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Size);
        try
        {
            var used = 0;
            foreach (var piece in Pieces(_node))
            {
                var needed = Encoding.UTF8.GetMaxByteCount(piece.Length);
                if (used + needed > buffer.Length && used > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, used), ct);
                    used = 0;
                }

                if (needed > buffer.Length)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(piece), ct);
                    continue;
                }

                used += Encoding.UTF8.GetBytes(piece, buffer.AsSpan(used));
            }

            if (used > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, used), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The markup's strings in order, depth first.</summary>
    private static IEnumerable<string> Pieces(object? node)
    {
        switch (node)
        {
            case null:
                yield break;
            case string text:
                yield return text;
                yield break;
        }

        var pending = new Stack<(List<object> Nodes, int Next)>();
        pending.Push(((List<object>)node, 0));
        while (pending.TryPop(out var top))
        {
            var (nodes, next) = top;
            for (; next < nodes.Count; next++)
            {
                if (nodes[next] is string text)
                {
                    yield return text;
                    continue;
                }

                // go into the nested markup, then come back for the rest of this list
                pending.Push((nodes, next + 1));
                pending.Push(((List<object>)nodes[next], 0));
                break;
            }
        }
    }

    // every script stays readable in the page source; only markup-significant characters are escaped
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Encode(string? text) => Encoder.Encode(text ?? "");

    [InterpolatedStringHandler]
    public ref struct Builder
    {
        private List<object>? _nodes;

        public Builder(int literalLength, int formattedCount) => _nodes = new List<object>((2 * formattedCount) + 1);

        public readonly void AppendLiteral(string literal)
        {
            if (literal.Length > 0)
            {
                _nodes!.Add(literal);
            }
        }

        public readonly void AppendFormatted(Html markup)
        {
            if (markup._node is { } node)
            {
                _nodes!.Add(node);
            }
        }

        public readonly void AppendFormatted(IEnumerable<Html> parts)
        {
            foreach (var part in parts)
            {
                AppendFormatted(part);
            }
        }

        public readonly void AppendFormatted(string? text) => AppendText(Encode(text));

        public readonly void AppendFormatted<T>(T value, string? format = null)
        {
            if (value is IEnumerable<Html> parts)
            {
                AppendFormatted(parts);
                return;
            }

            AppendText(Encode(value is IFormattable formattable
                ? formattable.ToString(format, CultureInfo.InvariantCulture)
                : value?.ToString()));
        }

        private readonly void AppendText(string text)
        {
            if (text.Length > 0)
            {
                _nodes!.Add(text);
            }
        }

        /// <summary>The pieces made so far: a lone string as itself, nothing as null.</summary>
        public object? Take()
        {
            var nodes = _nodes!;
            _nodes = null;
            return nodes.Count switch
            {
                0 => null,
                1 when nodes[0] is string single => single,
                _ => nodes,
            };
        }
    }
}

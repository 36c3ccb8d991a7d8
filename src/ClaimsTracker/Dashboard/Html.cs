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
    /// <summary>null (nothing), a string, markup already encoded as UTF-8 (a byte array), or a list of these nodes.</summary>
    private readonly object? _node;

    private Html(object? node) => _node = node;

    public static Html Empty => default;

    public static Html Of(ref Builder markup) => new(markup.Take());

    public static Html When(bool condition, Html markup) => condition ? markup : Empty;

    /// <summary>The same markup encoded once as UTF-8, for markup that is kept and written many times.</summary>
    public static Html Utf8(Html markup)
    {
        var bytes = new byte[markup.ByteCount()];
        var used = 0;
        foreach (var piece in Pieces(markup._node))
        {
            used += piece is string text ? Encoding.UTF8.GetBytes(text, bytes.AsSpan(used)) : Copy((byte[])piece, bytes.AsSpan(used));
        }

        return new(bytes);

        static int Copy(byte[] from, Span<byte> to)
        {
            from.CopyTo(to);
            return from.Length;
        }
    }

    public override string ToString()
    {
        if (_node is null or string)
        {
            return (string?)_node ?? "";
        }

        var text = new StringBuilder();
        foreach (var piece in Pieces(_node))
        {
            text.Append(piece as string ?? Encoding.UTF8.GetString((byte[])piece));
        }

        return text.ToString();
    }

    /// <summary>The UTF-8 length of the markup.</summary>
    public int ByteCount()
    {
        var count = 0;
        foreach (var piece in Pieces(_node))
        {
            count += piece is string text ? Encoding.UTF8.GetByteCount(text) : ((byte[])piece).Length;
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
            foreach (var node in Pieces(_node))
            {
                if (node is not string piece)
                {
                    // encoded already: written as it is, after what the buffer holds
                    if (used > 0)
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, used), ct);
                        used = 0;
                    }

                    await stream.WriteAsync((byte[])node, ct);
                    continue;
                }

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

    /// <summary>The markup's strings and encoded bytes in order, depth first.</summary>
    private static IEnumerable<object> Pieces(object? node)
    {
        switch (node)
        {
            case null:
                yield break;
            case string or byte[]:
                yield return node;
                yield break;
        }

        var pending = new Stack<(List<object> Nodes, int Next)>();
        pending.Push(((List<object>)node, 0));
        while (pending.TryPop(out var top))
        {
            var (nodes, next) = top;
            for (; next < nodes.Count; next++)
            {
                if (nodes[next] is string or byte[])
                {
                    yield return nodes[next];
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
                1 when nodes[0] is string or byte[] => nodes[0],
                _ => nodes,
            };
        }
    }
}

using System.Globalization;
using ClaimsTracker.Claims;

namespace ClaimsTracker.Dashboard;

/// <summary>How the pages write values as text: enum words, times, form values, query strings, safe links.</summary>
public static class Display
{
    /// <summary>"partially_confirmed" as people read it: "partially confirmed".</summary>
    public static string Spoken<TEnum>(TEnum value) where TEnum : struct, Enum => Words.Of(value).Replace('_', ' ');

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Full precision, so that an as-of link lands exactly on the event it was taken from.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The value of a datetime-local input, which the forms label as UTC.</summary>
    public static string? LocalInput(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A query-string value as a filter takes it: trimmed, or null when blank.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    /// <summary>A query string of the non-empty values, each escaped; the page encodes it again as an attribute.</summary>
    public static string Query(params (string Name, string? Value)[] values)
    {
        var pairs = values.Where(v => !string.IsNullOrEmpty(v.Value))
            .Select(v => $"{v.Name}={Uri.EscapeDataString(v.Value!)}")
            .ToArray();
        return pairs.Length == 0 ? "" : "?" + string.Join('&', pairs);
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

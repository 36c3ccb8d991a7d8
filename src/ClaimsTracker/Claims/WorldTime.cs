using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClaimsTracker.Claims;

public enum TimePrecision { Instant, Day, Month, Year }

/// <summary>A world time as precise as its source; a fact counts from <see cref="End"/>, by when it had surely happened, and is ordered by it.</summary>
public readonly record struct WorldTime(DateTimeOffset Start, TimePrecision Precision = TimePrecision.Instant)
{
    public DateTimeOffset End => Precision switch
    {
        TimePrecision.Day => Start.AddDays(1),
        TimePrecision.Month => Start.AddMonths(1),
        TimePrecision.Year => Start.AddYears(1),
        _ => Start,
    };

    public bool Uncertain => Precision != TimePrecision.Instant;

    /// <summary>When an event's fact happened in the world, as opposed to when it was recorded here.</summary>
    public static DateTimeOffset? OfEvent(object data) => data switch
    {
        ClaimRegistered e => e.FirstReport.PublishedAt,
        ClaimReported e => e.Article.PublishedAt,
        StatementRecorded e => e.StatedAt,
        EvidenceAttached e => e.ObservedAt,
        VerdictGiven e => e.GivenAt,
        ClaimCorrected e => e.CorrectedAt,
        ClaimRetracted e => e.RetractedAt,
        VerdictWithdrawn e => e.WithdrawnAt,
        _ => null,
    };

    public string? Text
    {
        get
        {
            var precision = Precision;
            return Array.Find(Periods, p => p.Precision == precision).Format is { } format
                ? Start.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)
                : null;
        }
    }

    public static WorldTime Ending(DateTimeOffset end, TimePrecision precision) => new(precision switch
    {
        TimePrecision.Day => end.AddDays(-1),
        TimePrecision.Month => end.AddMonths(-1),
        TimePrecision.Year => end.AddYears(-1),
        _ => end,
    }, precision);

    /// <summary>An ISO 8601 instant, or a UTC day, month or year as <c>YYYY-MM-DD</c>, <c>YYYY-MM</c>, <c>YYYY</c>; null if neither.</summary>
    public static WorldTime? Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        foreach (var (format, precision) in Periods)
        {
            if (value.Length == format.Length && DateTimeOffset.TryParseExact(value, format, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
            {
                return new WorldTime(start, precision);
            }
        }

        return value.Contains('T', StringComparison.OrdinalIgnoreCase) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? new WorldTime(instant)
            : null;
    }

    private static readonly (string Format, TimePrecision Precision)[] Periods =
        [("yyyy-MM-dd", TimePrecision.Day), ("yyyy-MM", TimePrecision.Month), ("yyyy", TimePrecision.Year)];
}

public static class CorrectedTimes
{
    /// <summary>The corrected world time of a statement, if the correction gives one (older corrections' are instants).</summary>
    public static WorldTime? StatedTime(this ClaimCorrected c) =>
        c.StatedAt is { } start ? new WorldTime(start, c.StatedAtPrecision ?? TimePrecision.Instant) : null;
}

/// <summary>A world time as sent, kept as text so that validation names a bad one by its field instead of the body failing.</summary>
[JsonConverter(typeof(TimeInputConverter))]
public readonly record struct TimeInput(string Text, bool IsString = true)
{
    public static implicit operator TimeInput(DateTimeOffset instant) => new(instant.ToString("O", CultureInfo.InvariantCulture));

    public static implicit operator TimeInput(string text) => new(text);

    public WorldTime? Parsed => IsString ? WorldTime.Parse(Text) : null;

    public WorldTime Value => Parsed ?? throw new InvalidOperationException($"'{Text}' is not a world time; validate first");
}

public sealed class TimeInputConverter : JsonConverter<TimeInput>
{
    public override TimeInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var value = JsonDocument.ParseValue(ref reader);
        return value.RootElement.ValueKind == JsonValueKind.String
            ? new(value.RootElement.GetString()!)
            : new(value.RootElement.GetRawText(), IsString: false);
    }

    public override void Write(Utf8JsonWriter writer, TimeInput value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}

using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

public static class ClaimValidation
{
    public static Validation Word<TEnum>(this Validation validation, string field, string? value) where TEnum : struct, Enum
    {
        if (!Words.TryParse<TEnum>(value, out _))
        {
            validation.Error(field, OneOf(typeof(TEnum)));
        }

        return validation;
    }

    public static string OneOf(Type enumType) => $"must be one of: {string.Join(", ", Words.All(enumType))}";

    /// <summary>A world time: an instant, or a day, month or year as precise as the source; its period must have begun.</summary>
    public static Validation Time(this Validation validation, string field, TimeInput? value, DateTimeOffset now, bool required = true)
    {
        if (value is null)
        {
            return required ? validation.Error(field, "is required, as an ISO 8601 time such as 2024-02-20T09:00:00Z, or as precise as the source: 2024-02-20, 2024-02 or 2024") : validation;
        }

        return value.Value.Parsed is { } time
            ? validation.Time(field, time.Start, now)
            : validation.Error(field, "must be an ISO 8601 time such as 2024-02-20T09:00:00Z, or a day, month or year as precise as the source: 2024-02-20, 2024-02 or 2024");
    }
}

using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Infrastructure;

public static class Problems
{
    public static ProblemDetails Invalid(IDictionary<string, string[]> errors) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is invalid",
        Detail = "Nothing was recorded. Fix the fields listed in 'errors' and send the request again.",
        Extensions = { ["errors"] = errors },
    };

    public static IReadOnlyDictionary<string, string[]> ErrorsOf(ProblemDetails problem) =>
        problem.Extensions.TryGetValue("errors", out var errors) && errors is IReadOnlyDictionary<string, string[]> fields
            ? fields
            : new Dictionary<string, string[]>();

    public static ProblemDetails Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemDetails IdempotencyKeyReused() => new()
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "Idempotency-Key already used for a different request",
        Detail = "This Idempotency-Key was first used with a different body. Use a new key for a new request.",
    };

    public static IResult ToResult(this ProblemDetails problem) =>
        Results.Problem(problem);

    public static ProblemDetails Continue => WolverineContinue.NoProblems;
}

public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public bool IsValid => _errors.Count == 0;

    public Validation Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public Validation Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Error(field, "is required and must not be blank") : this;
        }

        if (value.Length > maxLength)
        {
            Error(field, $"must be at most {maxLength} characters (got {value.Length})");
        }

        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            Error(field, "must not contain control characters");
        }

        return this;
    }

    public Validation Url(string field, string? value, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Error(field, "is required") : this;
        }

        if (value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https"))
        {
            Error(field, "must be an absolute http or https URL");
        }

        return this;
    }

    public Validation Time(string field, DateTimeOffset? value, DateTimeOffset now, bool required = true)
    {
        if (value is null)
        {
            return required ? Error(field, "is required, as an ISO 8601 time such as 2024-02-20T09:00:00Z") : this;
        }

        if (value > now.AddMinutes(5))
        {
            Error(field, "must not be in the future");
        }
        else if (value < new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            Error(field, "must be after 1900-01-01");
        }

        return this;
    }

    public Validation Version(string field, long? value)
    {
        if (value is < 1)
        {
            Error(field, "must be a positive stream version");
        }

        return this;
    }

    public Validation Range(string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Error(field, $"must be between {min} and {max}");
        }

        return this;
    }

    public Validation Instant(string field, string? value)
    {
        if (value is not null && ParseInstant(value) is null)
        {
            Error(field, "must be an ISO 8601 time with a zone, such as 2024-02-20T09:00:00Z");
        }

        return this;
    }

    public static DateTimeOffset? ParseInstant(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    public ProblemDetails Result() => IsValid
        ? Problems.Continue
        : Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

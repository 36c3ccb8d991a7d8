using System.Text.Json;

namespace ClaimsTracker.Claims;

public enum Stance { Confirms, Denies, DeclinesToComment, Asserts, NotConfirmed }

public enum QuoteKind { Direct, Paraphrase }

public enum Bearing { Supports, Refutes }

public enum Verdict { Confirmed, False, Misleading, Unproven }

public enum ClaimStatus { Unconfirmed, PartiallyConfirmed, Confirmed, Disputed, Denied, Refuted, Misleading, Retracted }

public enum PartyStance { Open, Confirms, Denies }

public enum RelationKind { DependsOn, SameAs, Contradicts }

public enum Premise { Holds, Fails, Open }

/// <summary>The words of a vocabulary, for the OpenAPI document: the checks themselves parse with <see cref="Words.TryParse{TEnum}"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class WordsOfAttribute(Type vocabulary) : System.ComponentModel.DataAnnotations.AllowedValuesAttribute([.. Words.All(vocabulary)]);

public static class Words
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static IEnumerable<string> All<TEnum>() where TEnum : struct, Enum => All(typeof(TEnum));

    public static IEnumerable<string> All(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName);

    public static bool TryParse<TEnum>(string? word, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), word?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

/// <summary>
/// Each claim's status as SQL, for another area that counts by it inside PostgreSQL (a source's track record): the
/// summaries' table and the spellings of its status column stay the claims' own.
/// </summary>
public static class ClaimStatusSql
{
    /// <summary>Each claim's id and status, to join as a table: PostgreSQL plans it as the summaries' table itself.</summary>
    public const string Relation = $"(select id, status from {ClaimsStore.Schema}.mt_doc_claimsummary)";

    /// <summary>
    /// The condition that <paramref name="column"/>, the status of <see cref="Relation"/>, is one of
    /// <paramref name="statuses"/>: as the enum's name, or as the word in rows filled when the column was added.
    /// </summary>
    public static string In(string column, params ClaimStatus[] statuses) =>
        $"{column} in ({string.Join(", ", statuses.SelectMany(s => new[] { s.ToString(), Words.Of(s) }).Distinct().Select(w => $"'{w}'"))})";
}

using ClaimsTracker.Dashboard;
using Marten.Exceptions;
using Npgsql;

namespace ClaimsTracker.Tests;

/// <summary>Which failures of Marten's rebuild are the first-progress race that the admin rebuild runs again.</summary>
public sealed class RebuildRaceTests
{
    [Fact]
    public void a_duplicate_progression_row_is_the_race_and_other_failures_are_not()
    {
        var duplicate = new PostgresException("duplicate key value violates unique constraint \"pk_mt_event_progression\"", "ERROR", "ERROR",
            PostgresErrorCodes.UniqueViolation);
        var progression = new NpgsqlCommand("insert into claims.mt_event_progression (name, last_seq_id) values ($1, $2);");
        var document = new NpgsqlCommand("insert into claims.mt_doc_claimtimeline (id, data) values ($1, $2);");

        ProjectionRebuilds.FirstProgressRace(new MartenCommandException(progression, duplicate)).ShouldBeTrue();
        ProjectionRebuilds.FirstProgressRace(new MartenCommandException(document, new PostgresException(
            "duplicate key value violates unique constraint \"pk_mt_doc_claimtimeline\"", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation))).ShouldBeFalse();
        ProjectionRebuilds.FirstProgressRace(new MartenCommandException(progression,
            new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected))).ShouldBeFalse();
        ProjectionRebuilds.FirstProgressRace(new TimeoutException("mt_event_progression")).ShouldBeFalse();
    }
}

namespace ClaimsTracker.Dashboard;

/// <summary>One page of the board: the claims on it and where it sits among all that match.</summary>
public sealed record BoardPage<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total)
{
    public long PageCount => Total == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Infrastructure;

public sealed record PageQuery(int? Page, int? PageSize)
{
    public Paging Paging(int byDefault) => new(Page ?? 1, PageSize ?? byDefault);

    public ProblemDetails Check(int maxPageSize) => new Validation()
        .Range("page", Page, 1, int.MaxValue)
        .Range("pageSize", PageSize, 1, maxPageSize)
        .Result();
}

/// <summary>A checked page: number and size as asked, the offset in 64 bits so that page × size never wraps.</summary>
public readonly record struct Paging(int Number, int Size)
{
    public long Offset => ((long)Number - 1) * Size;

    public (long First, long Last) Positions => (Offset + 1, Offset + Size);

    public IEnumerable<T> Of<T>(IEnumerable<T> items) => Offset >= int.MaxValue ? [] : items.Skip((int)Offset).Take(Size);
}

namespace NasSav.Contracts.Maintenance;

/// <summary>
/// Request to catalog: one page of the library's resources in id order (keyset paging: the next page starts
/// after <see cref="AfterId"/>), answered with <see cref="LibraryInventory"/>. Maintenance reads the library
/// this way instead of through catalog's tables.
/// </summary>
public sealed record GetLibraryInventory
{
    public long AfterId { get; init; }
    public int Limit { get; init; } = 500;
}

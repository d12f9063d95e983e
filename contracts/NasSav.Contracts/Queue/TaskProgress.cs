namespace NasSav.Contracts.Queue;

public sealed record TaskProgress
{
    public required double Percent { get; init; }
    /// <summary>Human form, e.g. "3.2 MB/s".</summary>
    public required string Speed { get; init; }
    /// <summary>e.g. "00:01:05", or "" when unknown.</summary>
    public string Eta { get; init; } = "";
    public required DateTimeOffset UpdatedAt { get; init; }
}

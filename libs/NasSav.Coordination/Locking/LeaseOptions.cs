namespace NasSav.Coordination.Locking;

/// <summary>Section "Locking": lease timing shared by the Redis and in-process implementations.</summary>
public sealed class LeaseOptions
{
    public const string Section = "Locking";

    /// <summary>How long a lease lives without renewal; renewed every Ttl/3. A crashed holder's lease frees after at most this.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>A waiter's first poll interval (release notices usually wake it first); doubles up to <see cref="PollMax"/>.</summary>
    public TimeSpan PollMin { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan PollMax { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Redis key prefix: the lease is {KeyPrefix}{name}, its details {KeyPrefix}{name}:info, notices on {KeyPrefix}{name}:released.</summary>
    public string KeyPrefix { get; set; } = "nassav:lease:";

    public static IEnumerable<string?> Validate(LeaseOptions o)
    {
        if (o.LeaseTtl < TimeSpan.FromMilliseconds(300)) yield return $"LeaseTtl {o.LeaseTtl} must be at least 00:00:00.300";
        if (o.PollMin <= TimeSpan.Zero) yield return "PollMin must be positive";
        if (o.PollMax < o.PollMin) yield return $"PollMax {o.PollMax} must not be below PollMin {o.PollMin}";
        if (string.IsNullOrWhiteSpace(o.KeyPrefix)) yield return "KeyPrefix must not be empty";
    }
}

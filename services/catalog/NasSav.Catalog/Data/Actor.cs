namespace NasSav.Catalog.Data;

public sealed class Actor
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? AvatarUrl { get; set; }
    /// <summary>File name under the avatar/ key prefix.</summary>
    public string? AvatarFilename { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<ResourceActor> ResourceLinks { get; set; } = [];

    /// <summary>Avatar URLs the metadata sites use for "no picture"; never shown or downloaded.</summary>
    public static readonly IReadOnlySet<string> PlaceholderAvatarUrls = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "https://pics.dmm.co.jp/mono/actjpgs/nowprinting.gif",
    };
}

public sealed class Genre
{
    public long Id { get; set; }
    public required string Name { get; set; }

    public List<ResourceGenre> ResourceLinks { get; set; } = [];
}

public sealed class ResourceActor
{
    public long ResourceId { get; set; }
    public Resource Resource { get; set; } = null!;
    public long ActorId { get; set; }
    public Actor Actor { get; set; } = null!;
}

public sealed class ResourceGenre
{
    public long ResourceId { get; set; }
    public Resource Resource { get; set; } = null!;
    public long GenreId { get; set; }
    public Genre Genre { get; set; } = null!;
}

/// <summary>One row per source; <see cref="Source"/> is the lower-cased source name, so lookups are case-insensitive by construction.</summary>
public sealed class SourceCookie
{
    public required string Source { get; set; }
    public string Cookie { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A user setting (the peer's user_settings.ini [display] section).</summary>
public sealed class UserSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

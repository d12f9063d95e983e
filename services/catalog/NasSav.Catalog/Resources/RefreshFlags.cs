using System.Text.Json;
using NasSav.Catalog.Http;

namespace NasSav.Catalog.Resources;

/// <summary>
/// The three independent refresh flags. Booleans, or the strings "true"/"false": the peer read any
/// string as true, so "false" refreshed anyway.
/// </summary>
public sealed record RefreshFlags(bool RefreshM3u8, bool RefreshMetadata, bool Retranslate)
{
    public bool Any => RefreshM3u8 || RefreshMetadata || Retranslate;
    public bool NeedsSource => RefreshM3u8 || RefreshMetadata;

    public static RefreshFlags? Read(JsonElement body, out string? error)
    {
        if (!JsonFields.TryFlag(body, "refresh_m3u8", true, out var m3u8, out error)) return null;
        if (!JsonFields.TryFlag(body, "refresh_metadata", true, out var metadata, out error)) return null;
        if (!JsonFields.TryFlag(body, "retranslate", false, out var retranslate, out error)) return null;
        return new RefreshFlags(m3u8, metadata, retranslate);
    }
}

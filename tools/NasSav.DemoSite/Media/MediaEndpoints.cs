using NasSav.DemoSite.Catalog;

namespace NasSav.DemoSite.Media;

/// <summary>Covers (metadata-site and source), actor avatars and the placeholder avatar.</summary>
public static class MediaEndpoints
{
    public static void MapMedia(this WebApplication app)
    {
        // JavBus-style cover (a.bigImage): /pics/cover/{avid_lower}_b.jpg
        app.MapGet("/pics/cover/{file}", (string file, DemoCatalog catalog, MediaCache media) =>
            file.EndsWith("_b.jpg", StringComparison.OrdinalIgnoreCase) && catalog.Find(file[..^"_b.jpg".Length]) is { } t
                ? Jpeg(media.BusCover(t)) : Results.NotFound());

        // Source covers (og:image): Jable-like and MissAV-like paths, same picture.
        app.MapGet("/contents/videos_screenshots/{avid}/preview.jpg", (string avid, DemoCatalog catalog, MediaCache media) =>
            catalog.Find(avid) is { } t ? Jpeg(media.SourceCover(t)) : Results.NotFound());
        app.MapGet("/fourhoi/{avid}/cover-n.jpg", (string avid, DemoCatalog catalog, MediaCache media) =>
            catalog.Find(avid) is { } t ? Jpeg(media.SourceCover(t)) : Results.NotFound());

        app.MapGet("/pics/actress/{file}", (string file, DemoCatalog catalog, MediaCache media) =>
            file.EndsWith("_a.jpg", StringComparison.Ordinal) && catalog.FindActor(file[..^"_a.jpg".Length]) is { Placeholder: false } a
                ? Jpeg(media.Avatar(a)) : Results.NotFound());

        app.MapGet(DemoActor.PlaceholderAvatarPath, (MediaCache media) => Results.File(media.PlaceholderAvatar, "image/gif"));
    }

    private static IResult Jpeg(string path) => Results.File(path, "image/jpeg");
}

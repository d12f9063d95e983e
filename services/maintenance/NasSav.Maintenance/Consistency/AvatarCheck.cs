using System.Security.Cryptography;
using System.Text;
using NasSav.Contracts.Maintenance;
using NasSav.Media.Storage;

namespace NasSav.Maintenance.Consistency;

/// <summary>
/// Actor avatars (NASSAV's check_actor_avatars_consistency): actors without a URL or with a placeholder URL are
/// counted, not issues; an empty avatar_filename or a missing file is downloaded again from avatar_url in apply
/// mode (and the file name recorded through catalog).
/// </summary>
public sealed class AvatarCheck(IHttpClientFactory http) : IConsistencyCheck
{
    public const string HttpClientName = "maintenance-avatars";
    public string Name => "avatars";

    public async Task RunAsync(CheckContext context)
    {
        foreach (var a in context.Actors)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(a.AvatarUrl)) { context.Job.Count("no_url"); continue; }
            if (a.Placeholder) { context.Job.Count("placeholder"); continue; }
            CheckIssue issue;
            if (string.IsNullOrEmpty(a.AvatarFilename) || !MediaKey.TryAvatar(a.AvatarFilename, out var key))
            {
                issue = context.Report(new CheckIssue { Check = Name, Kind = "filename_empty", ActorId = a.Id, Actor = a.Name });
                if (!context.Apply) continue;
                var file = FileNameFor(a.AvatarUrl);
                await context.FixAsync(issue, async () =>
                {
                    await DownloadAsync(a.AvatarUrl, MediaKey.Avatar(file), context.Store, context.Cancellation);
                    return await context.Library.SetAvatarAsync(a.Id, file, context.Cancellation);
                });
                continue;
            }
            if (await context.Store.GetInfoAsync(key, context.Cancellation) is not null) { context.Job.Count("ok"); continue; }
            issue = context.Report(new CheckIssue { Check = Name, Kind = "file_missing", ActorId = a.Id, Actor = a.Name, Key = key.Value });
            if (context.Apply)
                await context.FixAsync(issue, async () =>
                {
                    await DownloadAsync(a.AvatarUrl, key, context.Store, context.Cancellation);
                    return new RepairApplied { Applied = true };
                });
        }
    }

    /// <summary>The URL's own file name when it is a safe key, else a stable hash of the URL.</summary>
    internal static string FileNameFor(string url)
    {
        var name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : null;
        if (name is not null && MediaKey.TryAvatar(name, out _)) return name;
        var ext = Path.GetExtension(name ?? "") is { Length: > 1 and <= 5 } e && MediaKey.TryAvatar("a" + e, out _) ? e : ".jpg";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..20] + ext;
    }

    private async Task DownloadAsync(string url, MediaKey key, IMediaStore store, CancellationToken ct)
    {
        using var response = await http.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {url}: {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var info = await store.WriteAsync(key, body, ct);
        if (info.Size == 0)
        {
            await store.DeleteAsync(key, ct);
            throw new HttpRequestException($"GET {url}: empty body");
        }
    }
}

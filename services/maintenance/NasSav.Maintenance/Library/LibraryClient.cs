using System.Runtime.CompilerServices;
using MassTransit;
using Microsoft.Extensions.Options;
using NasSav.Contracts.Export;
using NasSav.Contracts.Maintenance;

namespace NasSav.Maintenance.Library;

/// <summary>
/// The library as catalog tells it over the bus (inventory pages) and the repairs catalog applies: maintenance
/// never opens catalog's tables.
/// </summary>
public sealed class LibraryClient(IBus bus, IOptions<MaintenanceOptions> options)
{
    private readonly IRequestClient<GetLibraryInventory> resources = bus.CreateRequestClient<GetLibraryInventory>();
    private readonly IRequestClient<GetActorInventory> actors = bus.CreateRequestClient<GetActorInventory>();
    private readonly IRequestClient<SetVideoFile> setVideo = bus.CreateRequestClient<SetVideoFile>();
    private readonly IRequestClient<ClearCoverFilename> clearCover = bus.CreateRequestClient<ClearCoverFilename>();
    private readonly IRequestClient<RegenerateThumbnails> thumbnails = bus.CreateRequestClient<RegenerateThumbnails>();
    private readonly IRequestClient<SetActorAvatar> setAvatar = bus.CreateRequestClient<SetActorAvatar>();
    private readonly IRequestClient<GetResourceDetails> details = bus.CreateRequestClient<GetResourceDetails>();

    private RequestTimeout Timeout => RequestTimeout.After(s: options.Value.Checks.CatalogTimeoutSeconds);

    public async IAsyncEnumerable<InventoryResource> ResourcesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long? after = 0;
        while (after is { } from)
        {
            var page = await resources.GetResponse<LibraryInventory>(
                new GetLibraryInventory { AfterId = from, Limit = options.Value.Checks.InventoryPageSize }, ct, Timeout);
            foreach (var r in page.Message.Resources) yield return r;
            after = page.Message.NextAfterId;
        }
    }

    public async IAsyncEnumerable<InventoryActor> ActorsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long? after = 0;
        while (after is { } from)
        {
            var page = await actors.GetResponse<ActorInventory>(
                new GetActorInventory { AfterId = from, Limit = options.Value.Checks.InventoryPageSize }, ct, Timeout);
            foreach (var a in page.Message.Actors) yield return a;
            after = page.Message.NextAfterId;
        }
    }

    public async Task<List<InventoryResource>> AllResourcesAsync(CancellationToken ct)
    {
        var list = new List<InventoryResource>();
        await foreach (var r in ResourcesAsync(ct)) list.Add(r);
        return list;
    }

    public async Task<List<InventoryActor>> AllActorsAsync(CancellationToken ct)
    {
        var list = new List<InventoryActor>();
        await foreach (var a in ActorsAsync(ct)) list.Add(a);
        return list;
    }

    /// <summary>Everything the media-server export needs of these AVIDs (at most 200 a request); absent ones are not in the library.</summary>
    public async Task<ResourceDetails> DetailsAsync(IReadOnlyList<string> avids, CancellationToken ct) =>
        (await details.GetResponse<ResourceDetails>(new GetResourceDetails { Avids = avids }, ct, Timeout)).Message;

    public async Task<RepairApplied> SetVideoAsync(SetVideoFile command, CancellationToken ct) =>
        (await setVideo.GetResponse<RepairApplied>(command, ct, Timeout)).Message;

    public async Task<RepairApplied> ClearCoverAsync(string avid, CancellationToken ct) =>
        (await clearCover.GetResponse<RepairApplied>(new ClearCoverFilename { Avid = avid }, ct, Timeout)).Message;

    public async Task<RepairApplied> RegenerateThumbnailsAsync(string avid, CancellationToken ct) =>
        (await thumbnails.GetResponse<RepairApplied>(new RegenerateThumbnails { Avid = avid }, ct, Timeout)).Message;

    public async Task<RepairApplied> SetAvatarAsync(long actorId, string? file, CancellationToken ct) =>
        (await setAvatar.GetResponse<RepairApplied>(new SetActorAvatar { ActorId = actorId, AvatarFilename = file }, ct, Timeout)).Message;
}

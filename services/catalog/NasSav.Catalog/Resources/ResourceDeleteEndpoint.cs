using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.Contracts.Lifecycle;
using NasSav.Media.Avids;
using NasSav.ServiceDefaults.Http;
using NasSav.Sagas.Outbox;

namespace NasSav.Catalog.Resources;

/// <summary>
/// DELETE /resource/{avid}: removes every file and the row. Unlike the peer, a row without files is
/// deleted too (200), and 404 means there was neither a row nor a file.
/// </summary>
public static class ResourceDeleteEndpoint
{
    public sealed record Outcome(bool Found, ResourceObject? Resource, List<string> DeletedFiles);

    public static IEndpointRouteBuilder MapResourceDelete(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDelete($"{ApiPipeline.ApiPrefix}/resource/{{avid:{ReservedWordConstraint.Name}}}", Delete);
        return endpoints;
    }

    private static async Task<IResult> Delete(string avid, CatalogDbContext db, ResourceFiles files, TransactionalOutbox<CatalogDbContext> outbox,
        CancellationToken ct)
    {
        if (!AvidInput.TryParse(avid, out var id, out var error)) return error!;
        var outcome = await DeleteAsync(id, db, files, outbox, ct);
        if (!outcome.Found) return ApiResults.Error(404, $"资源 {id} 不存在");
        return ApiResults.Ok(new { resource = outcome.Resource, avid = id.Value, deleted_files = outcome.DeletedFiles });
    }

    /// <summary>
    /// Files first, then the row: if a file cannot be deleted the row stays and a retry can finish the job.
    /// ResourceDeleted (the lifecycle saga of the AVID finalizes, so a later add starts afresh) is an outbox row
    /// committed with the row's deletion: the saga hears of every deletion, broker up or not.
    /// </summary>
    public static async Task<Outcome> DeleteAsync(Avid avid, CatalogDbContext db, ResourceFiles files, TransactionalOutbox<CatalogDbContext> outbox,
        CancellationToken ct)
    {
        var resource = await db.FindWithLinksAsync(avid, ct);
        var snapshot = resource is null ? null : ResourceObject.From(resource);
        var deleted = await files.DeleteAllAsync(avid, ct);
        if (resource is not null)
        {
            db.Resources.Remove(resource);
            await outbox.PublishEndpoint.Publish(new ResourceDeleted { CorrelationId = avid.CorrelationId, Avid = avid.Value }, ct);
            await outbox.SaveChangesAsync(ct);
        }
        return new Outcome(resource is not null || deleted.Count > 0, snapshot, deleted);
    }
}

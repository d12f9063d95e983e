using Microsoft.Extensions.Logging;
using NasSav.ServiceDefaults.Bus;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// One item of a batch endpoint: whatever it throws becomes that item's error entry (503 when the database or the
/// broker is briefly away, 500 otherwise), so one failing item never turns the whole batch into a 500 and the
/// others keep their results.
/// </summary>
internal static class BatchItems
{
    public static async Task<T> RunAsync<T>(string what, Func<Task<T>> item, Func<int, string, T> error, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await item();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            if (TransientErrors.IsTransient(ex))
            {
                logger.LogWarning(ex, "Batch item {Item} met a transient failure", what);
                return error(503, ApiPipeline.Unavailable);
            }
            logger.LogError(ex, "Batch item {Item} failed", what);
            return error(500, $"服务器内部错误: {ex.Message}");
        }
    }
}

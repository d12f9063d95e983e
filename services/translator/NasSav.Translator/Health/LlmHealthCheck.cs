using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasSav.Translator.Engines;

namespace NasSav.Translator.Health;

/// <summary>/health/ready: Degraded (not Unhealthy) while the LLM is down; the service still runs and answers failures.</summary>
public sealed class LlmHealthCheck(TranslationEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await engine.CheckAvailabilityAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["engine"] = engine.Name, ["type"] = engine.Engine.Type, ["model"] = engine.Engine.Model };
        return problem is null
            ? HealthCheckResult.Healthy($"engine '{engine.Name}' is available", data)
            : HealthCheckResult.Degraded(problem, data: data);
    }
}

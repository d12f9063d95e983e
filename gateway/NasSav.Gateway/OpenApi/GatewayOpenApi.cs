using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Gateway.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> works the same way in both modes. The gateway generates the document from the
/// endpoints of its own process; in standalone that is every service's REST surface. In distributed mode
/// add a route with PathPrefix <c>/openapi</c> to catalog's destinations: forwarding runs before routing,
/// so catalog's own document (generated the same way from its endpoints) is served instead.
/// </summary>
public static class GatewayOpenApi
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "NasSav API";
            document.Info.Description = "NASSAV-compatible REST surface under /nassav/api, and the WebSocket /nassav/ws/tasks/.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        return endpoints;
    }
}

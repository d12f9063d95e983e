using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.ServiceDefaults.Http;

/// <summary>
/// <c>/openapi/v1.json</c> works the same way in both modes: a host generates the document from the
/// endpoints of its own process. In standalone the gateway module maps it and that is every service's
/// REST surface; in distributed mode the catalog host maps it and the gateway forwards a route with
/// PathPrefix <c>/openapi</c> to catalog (forwarding runs before routing).
/// </summary>
public static class OpenApiDocument
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddNasSavOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "NasSav API";
            document.Info.Description = "NASSAV-compatible REST surface under /nassav/api, and the WebSocket /nassav/ws/tasks/.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapNasSavOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        return endpoints;
    }
}

using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NasSav.Gateway.StaticUi;

/// <summary>
/// What <c>/</c> answers when no UI is configured (Gateway:StaticUiPath empty): one small self-contained page
/// saying what this is, where the API description and health endpoints are, and how to serve NASSAV's web UI,
/// instead of an empty 404 for someone who just opened the address.
/// </summary>
public static class HomePage
{
    public const string Path = "/";

    private static readonly byte[] Html = Encoding.UTF8.GetBytes("""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>NasSav</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          code, pre { background: #f3f3f3; border-radius: 3px; padding: .1rem .3rem; }
          pre { padding: .6rem; overflow-x: auto; }
          li { margin: .2rem 0; }
        </style>
        </head>
        <body>
        <h1>NasSav is running</h1>
        <p>NasSav is a self-hosted library manager for videos identified by a code (an AVID such as <code>ABC-123</code>):
        it finds titles on the configured sources, scrapes their metadata, translates titles and downloads streams.
        It speaks the REST and WebSocket API of NASSAV, so NASSAV's web UI works against it.</p>
        <h2>Endpoints</h2>
        <ul>
          <li><a href="/openapi/v1.json">/openapi/v1.json</a>: the OpenAPI description of the REST API</li>
          <li><a href="/nassav/api/resources/">/nassav/api/resources/</a>: the library, as the API answers it</li>
          <li><a href="/health/live">/health/live</a> and <a href="/health/ready">/health/ready</a>: liveness and readiness</li>
          <li><code>/nassav/ws/tasks/</code>: the WebSocket with download progress</li>
        </ul>
        <h2>A web UI</h2>
        <p>No UI is configured, so this page is shown. To use NASSAV's web UI, build its <code>vue_frontend</code>
        (<code>pnpm install &amp;&amp; pnpm run build</code>) and point <code>Gateway:StaticUiPath</code> at the
        resulting <code>dist</code> folder; it is then served here, on the same origin as the API:</p>
        <pre>dotnet run --project tools/NasSav.Standalone -- --Gateway:StaticUiPath=/path/to/NASSAV/vue_frontend/dist</pre>
        <p>The same key works in <code>config.yaml</code> (<code>Gateway: {StaticUiPath: ...}</code>) or as the
        environment variable <code>Gateway__StaticUiPath</code>. See README.md and docs/gateway.md.</p>
        </body>
        </html>
        """);

    public static IEndpointRouteBuilder MapGatewayHomePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(Html, "text/html; charset=utf-8");
            })
            .ExcludeFromDescription()
            .WithDisplayName("Home page");
        return endpoints;
    }
}

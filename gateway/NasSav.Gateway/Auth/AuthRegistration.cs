using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace NasSav.Gateway.Auth;

public static class AuthRegistration
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services) => services.AddSingleton<ApiKeyValidator>();

    public static IApplicationBuilder UseApiKeyAuth(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();
}

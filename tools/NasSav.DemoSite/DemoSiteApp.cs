using System.Text.RegularExpressions;
using NasSav.DemoSite.Catalog;
using NasSav.DemoSite.Media;
using NasSav.DemoSite.Pages;
using NasSav.DemoSite.Streams;

namespace NasSav.DemoSite;

public static class DemoSiteApp
{
    /// <summary>The site with its routes; media is not generated yet (see <see cref="StartAsync"/>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])) builder.WebHost.UseUrls(DemoOptions.DefaultUrl);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var options = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        if (!Regex.IsMatch(options.Prefix, "^[A-Za-z0-9]{1,20}$"))
            throw new InvalidOperationException($"Demo:Prefix '{options.Prefix}' must be 1-20 letters or digits");
        if (options.Count is < 0 or > 9999) throw new InvalidOperationException($"Demo:Count {options.Count} must be 0-9999");
        if (options.ClipSeconds is < 2 or > 600) throw new InvalidOperationException($"Demo:ClipSeconds {options.ClipSeconds} must be 2-600");

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new DemoCatalog(options.Prefix, options.Count));
        builder.Services.AddSingleton<MediaCache>();

        var app = builder.Build();
        app.MapPages();
        app.MapMedia();
        app.MapStreams();
        return app;
    }

    /// <summary>Generates (or finds cached) media, then starts listening: /health answers only when everything is servable.</summary>
    public static async Task<WebApplication> StartAsync(string[] args, CancellationToken ct = default)
    {
        var app = Build(args);
        await app.Services.GetRequiredService<MediaCache>().EnsureAsync(ct);
        await app.StartAsync(ct);
        return app;
    }
}

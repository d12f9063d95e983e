using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Catalog.Lifecycle;
using NasSav.Media.Avids;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Support;

/// <summary>
/// How long an add or refresh waits for the lifecycle saga decides which answer comes back, so a test that checks
/// both kinds of answer sets the wait per request: generous where the saga answers at once (409 in progress, busy),
/// short only where the saga cannot answer at all (nothing fakes the scraper), so that the 202 comes quickly and
/// load cannot change it.
/// </summary>
public static class LifecycleWaits
{
    /// <summary>Long enough for any loaded machine: it only bounds a hang, an answer ends it.</summary>
    public const double Generous = 60;

    public static readonly Dictionary<string, string?> GenerousSettings = new()
    {
        ["Lifecycle:AddWaitSeconds"] = Generous.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Lifecycle:RefreshWaitSeconds"] = Generous.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Runs <paramref name="request"/> with add and refresh waits of <paramref name="seconds"/>, then puts the
    /// configured ones back. The endpoints read the options on every request (the singleton the host bound).
    /// </summary>
    public static async Task<T> WithWaitAsync<T>(this CatalogApp app, double seconds, Func<Task<T>> request)
    {
        var options = app.Services.GetRequiredService<IOptions<LifecycleOptions>>().Value;
        var (add, refresh) = (options.AddWaitSeconds, options.RefreshWaitSeconds);
        options.AddWaitSeconds = options.RefreshWaitSeconds = seconds;
        try { return await request(); }
        finally { (options.AddWaitSeconds, options.RefreshWaitSeconds) = (add, refresh); }
    }

    /// <summary>Waits until the stored lifecycle of <paramref name="avid"/> is in <paramref name="state"/>.</summary>
    public static async Task LifecycleInStateAsync(this CatalogApp app, string avid, string state)
    {
        var id = Avid.Parse(avid).CorrelationId;
        string? current = null;
        try
        {
            await Wait.UntilAsync(async () => (current = await app.WithDbAsync(db => db.ResourceLifecycles.AsNoTracking()
                .Where(x => x.CorrelationId == id).Select(x => x.CurrentState).FirstOrDefaultAsync())) == state,
                TimeSpan.FromSeconds(Generous), $"the lifecycle of {avid} to reach {state}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; it is {current ?? "absent"}", ex);
        }
    }
}

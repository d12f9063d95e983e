using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using NasSav.Gateway.Tests.Support;
using NasSav.Gateway.Ui;

namespace NasSav.Gateway.Tests;

/// <summary>Our web UI as files: where it is served, its headers, and that its modules and texts hang together.</summary>
public sealed partial class UiTests
{
    private const string Html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static HttpRequestMessage Get(string path, string? accept = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        return request;
    }

    [Fact]
    public async Task The_ui_is_at_the_root_and_under_ui_with_types_validators_and_a_strict_csp()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var client = gateway.CreateClient();

        foreach (var path in new[] { "/", "/ui/" })
        {
            using var page = await client.SendAsync(Get(path, Html));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("<script type=\"module\" src=\"/ui/js/main.js\"></script>", await page.Content.ReadAsStringAsync());
        }
        using (var bare = await client.SendAsync(Get("/ui?x=1", Html)))
        {
            Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
            Assert.Equal("/ui/?x=1", bare.Headers.Location?.OriginalString);
        }

        using var script = await client.SendAsync(Get("/ui/js/main.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", script.Headers.CacheControl?.ToString());
        var etag = script.Headers.ETag?.ToString();
        Assert.NotNull(etag);
        using (var again = await client.SendAsync(Get("/ui/js/main.js", ifNoneMatch: etag)))
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        using (var css = await client.SendAsync(Get("/ui/css/app.css")))
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/ui/js/main.js")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal((await script.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
        }
        foreach (var missing in new[] { "/ui/nope.js", "/ui/js/../../appsettings.json", "/ui/%2e%2e/NasSav.Gateway.dll", "/ui/js" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(missing))).StatusCode);
    }

    [Fact]
    public async Task With_nassav_ui_configured_it_keeps_the_root_and_ours_stays_under_ui()
    {
        var root = Directory.CreateTempSubdirectory("nassav-ui-").FullName;
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>NASSAV</title>");
        try
        {
            await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["Gateway:StaticUiPath"] = root });
            using var client = gateway.CreateClient();
            Assert.Contains("<title>NASSAV</title>", await (await client.SendAsync(Get("/", Html))).Content.ReadAsStringAsync());
            Assert.Contains("/ui/js/main.js", await (await client.SendAsync(Get("/ui/", Html))).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/ui/js/main.js"))).StatusCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [GeneratedRegex("""(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"](?<target>\.{1,2}/[^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex ModuleImport();

    [GeneratedRegex("""(?:src|href)="/ui/(?<path>[^"#?]+)""")]
    private static partial Regex HtmlReference();

    [Fact]
    public void Every_module_import_and_page_reference_resolves_to_an_embedded_file()
    {
        var assets = UiAssets.Load();
        var paths = assets.All.Select(a => a.Path).ToHashSet();
        Assert.Contains("index.html", paths);
        Assert.Contains("login.html", paths);
        var problems = new List<string>();
        foreach (var asset in assets.All)
        {
            var text = System.Text.Encoding.UTF8.GetString(asset.Content);
            var folder = asset.Path.Contains('/') ? asset.Path[..asset.Path.LastIndexOf('/')] : "";
            if (asset.Path.EndsWith(".js", StringComparison.Ordinal))
                foreach (Match m in ModuleImport().Matches(text))
                {
                    var target = Normalize(folder + "/" + m.Groups["target"].Value);
                    if (!paths.Contains(target)) problems.Add($"{asset.Path} imports {m.Groups["target"].Value} ({target}): not embedded");
                }
            if (asset.Path.EndsWith(".html", StringComparison.Ordinal))
                foreach (Match m in HtmlReference().Matches(text))
                    if (!paths.Contains(m.Groups["path"].Value)) problems.Add($"{asset.Path} refers to /ui/{m.Groups["path"].Value}: not embedded");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(assets.All.Count(a => a.Path.StartsWith("js/pages/", StringComparison.Ordinal)) >= 7, "every page is embedded");
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }

    [GeneratedRegex("""^\s*'(?<key>[^']+)':""", RegexOptions.Multiline)]
    private static partial Regex DictionaryKey();

    [GeneratedRegex("""\bt\('(?<key>[^'$]+)'""")]
    private static partial Regex LiteralKey();

    [Fact]
    public void Chinese_and_english_have_the_same_keys_and_every_literal_key_exists()
    {
        var assets = UiAssets.Load();
        HashSet<string> Keys(string path)
        {
            var text = System.Text.Encoding.UTF8.GetString(assets.Find(path)!.Content);
            // Several pairs share a line: split them so the start-of-line pattern sees each key.
            var keys = DictionaryKey().Matches(text.Replace(", '", ",\n'")).Select(m => m.Groups["key"].Value).ToHashSet();
            Assert.True(keys.Count > 100, $"{path} has {keys.Count} keys");
            return keys;
        }
        var en = Keys("js/i18n/en.js");
        var zh = Keys("js/i18n/zh.js");
        Assert.Empty(en.Except(zh));
        Assert.Empty(zh.Except(en));

        var used = assets.All.Where(a => a.Path.EndsWith(".js", StringComparison.Ordinal) && !a.Path.StartsWith("js/i18n/", StringComparison.Ordinal))
            .SelectMany(a => LiteralKey().Matches(System.Text.Encoding.UTF8.GetString(a.Content)).Select(m => (a.Path, Key: m.Groups["key"].Value)))
            .ToList();
        Assert.True(used.Count > 100, $"only {used.Count} literal keys found");
        var missing = used.Where(u => !en.Contains(u.Key)).Select(u => $"{u.Path}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}

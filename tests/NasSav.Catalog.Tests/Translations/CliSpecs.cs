using NasSav.Catalog.Data;
using NasSav.Catalog.Tests.Lifecycle;
using NasSav.Catalog.Tests.Support;
using NasSav.Cli;

namespace NasSav.Catalog.Tests.Translations;

/// <summary>The <c>nassav retranslate</c> command, run in-process against the catalog (the test server's HttpClient injected).</summary>
public sealed class When_the_cli_retranslates
{
    private static async Task<(int Code, string Out, string Err, List<Uri> Urls)> RunAsync(LifecycleApp t, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var urls = new List<Uri>();
        var cli = new NassavCli(url => { urls.Add(url); return t.Client; }, output, error);
        var code = await cli.RunAsync(args);
        return (code, output.ToString(), error.ToString(), urls);
    }

    [Theory, BothDatabases]
    public async Task Should_queue_the_failed_titles_and_follow_them_until_they_settle(DbKind kind)
    {
        await using var t = await TranslationTestKit.StartOnAsync(kind);
        await t.App.ResourceAsync("CLI-001", r => { r.TranslationStatus = TranslationStatuses.Failed; r.TranslationError = "LLM down"; r.Source = "Jable"; });
        await t.App.ResourceAsync("CLI-002", r => { r.TranslationStatus = TranslationStatuses.Completed; r.TranslatedTitle = "旧"; r.Source = "Jable"; });

        var (code, output, error, urls) = await RunAsync(t, "retranslate", "--status", "failed", "--url", "http://nas.example:9790", "--api-key", "k", "--interval", "0.05", "--timeout", "30");

        Assert.True(code == NassavCli.Ok, $"exit {code}\n{output}\n{error}");
        Assert.Equal("http://nas.example:9790/", Assert.Single(urls).ToString());
        Assert.Contains("selected 1, queued 1, skipped 0", output);
        Assert.Contains("  CLI-001  queued (was failed)", output);
        Assert.Contains("progress: 1/1 settled (completed 1, failed 0", output);
        Assert.EndsWith("done" + Environment.NewLine, output);
        var row = (await t.App.FindAsync("CLI-001"))!;
        Assert.Equal((TranslationStatuses.Completed, (string?)null), (row.TranslationStatus, row.TranslationError));
        Assert.Equal("旧", (await t.App.FindAsync("CLI-002"))!.TranslatedTitle);
    }

    [Fact]
    public async Task Should_exit_1_when_the_translations_fail_again()
    {
        await using var t = await TranslationTestKit.StartOnAsync(DbKind.Sqlite);
        t.Script.FailReason = "still down";
        await t.App.ResourceAsync("CLI-003", r => { r.TranslationStatus = TranslationStatuses.Failed; r.Source = "Jable"; });
        var (code, output, _, _) = await RunAsync(t, "retranslate", "--avid", "CLI-003", "--force", "--interval", "0.05");
        Assert.Equal(NassavCli.SomeFailed, code);
        Assert.Contains("1 failed", output);
        Assert.True(Assert.Single(t.Script.Translations).Force);
        Assert.Equal("still down", (await t.App.FindAsync("CLI-003"))!.TranslationError);
    }

    [Fact]
    public async Task Should_list_only_on_a_dry_run_and_report_a_refusal()
    {
        await using var t = await LifecycleApp.StartAsync(DbKind.Sqlite); // translator disabled
        await t.App.ResourceAsync("CLI-004", r => r.TranslationStatus = TranslationStatuses.Pending);

        var dry = await RunAsync(t, "retranslate", "--dry-run");
        Assert.Equal(NassavCli.Ok, dry.Code);
        Assert.Contains("dry run: 1 selected", dry.Out);
        Assert.Contains("  CLI-004  selected (was pending)", dry.Out);

        var refused = await RunAsync(t, "retranslate");
        Assert.Equal(NassavCli.ApiError, refused.Code);
        Assert.Contains("HTTP 503", refused.Err);
        Assert.Contains("Translator:Enabled", refused.Err);

        var bad = await RunAsync(t, "retranslate", "--status", "done");
        Assert.Equal(NassavCli.ApiError, bad.Code);
        Assert.Contains("HTTP 400", bad.Err);
        Assert.Empty(t.Script.Translations);
    }
}

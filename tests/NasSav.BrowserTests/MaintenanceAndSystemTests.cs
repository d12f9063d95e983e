using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using NasSav.BrowserTests.Support;

namespace NasSav.BrowserTests;

/// <summary>Operating NasSav from the browser: run a maintenance job, force-release the download lock.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class MaintenanceAndSystemTests(ChromiumFixture chromium, DemoHost host)
{
    [Fact]
    public async Task Running_a_job_shows_its_live_progress_and_its_run_in_the_history()
    {
        await host.AddAsync("DEMO-007");
        await using var ui = await host.OpenAsync(chromium, "/#/maintenance");
        var page = ui.Page;
        var row = page.Locator("[data-testid=job-row][data-job=check-all]");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=run][data-job=check-all]")).ToHaveCountAsync(0);

        await row.GetByTestId("run-dry").ClickAsync();

        // The run's end frame (maintenance_progress) reaches the live panel, and the history lists the run.
        await Expect(page.Locator("[data-testid=maintenance-progress][data-job=check-all]")).ToHaveAttributeAsync("data-status", "succeeded");
        var run = page.Locator("[data-testid=run][data-job=check-all]");
        await Expect(run).ToHaveAttributeAsync("data-status", "succeeded");
        await run.Locator("summary").ClickAsync();
        await Expect(run.GetByTestId("run-report")).ToContainTextAsync("\"apply_changes\": false");
        await Expect(row).ToContainTextAsync("succeeded"); // the job's last run
        ui.AssertClean();
    }

    [Fact]
    public async Task A_sync_task_run_from_the_page_shows_files_and_bytes_and_copies_the_backup()
    {
        await using var ui = await host.OpenAsync(chromium, "/#/maintenance");
        var page = ui.Page;
        // A database backup to copy first, then the sync task.
        await page.Locator("[data-testid=job-row][data-job=backup-database]").GetByTestId("run-apply").ClickAsync();
        await Expect(page.Locator("[data-testid=run][data-job=backup-database]").First).ToHaveAttributeAsync("data-status", "succeeded");

        await page.Locator("[data-testid=job-row][data-job=sync-offsite]").GetByTestId("run-apply").ClickAsync();

        var progress = page.Locator("[data-testid=maintenance-progress][data-job=sync-offsite]");
        await Expect(progress).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(progress).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+ of \d+"));   // files
        await Expect(progress).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+(\.\d)? [KM]?B / \d")); // bytes
        Assert.NotEmpty(Directory.GetFiles(host.SyncTarget, "*", SearchOption.AllDirectories));
        ui.AssertClean();
    }

    [Fact]
    public async Task The_download_lock_is_force_released_from_the_system_page_after_a_confirmation()
    {
        await host.AddAsync("DEMO-008");
        await using var ui = await host.OpenAsync(chromium, "/#/system");
        var page = ui.Page;
        await Expect(ui.TestId("lock-state")).ToBeVisibleAsync();
        var epochBefore = await LockEpochAsync();

        // A download holds the lock for a few seconds (slow demo stream).
        using (var submit = await host.Http.PostAsync(host.Demo.Api("downloads/DEMO-008"), null)) submit.EnsureSuccessStatusCode();
        await Expect(ui.TestId("lock-state")).ToHaveAttributeAsync("data-state", "held");

        // Cancelling the confirmation changes nothing.
        await ui.TestId("force-release").ClickAsync();
        await Expect(ui.TestId("confirm-dialog")).ToBeVisibleAsync();
        await ui.TestId("confirm-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal(0, await ManualReleasesAsync());

        await ui.TestId("force-release").ClickAsync();
        await ui.TestId("confirm-ok").ClickAsync();
        // Other toasts (a download completing) may be showing too: look for this one.
        await Expect(page.Locator(".toast", new() { HasText = "Released from" })).ToBeVisibleAsync();
        Assert.Equal(1, await ManualReleasesAsync());
        Assert.True(await LockEpochAsync() > epochBefore);
        await Expect(ui.TestId("lock-stats")).ToContainTextAsync("manual releases");

        // The fenced-off download takes the lock again under a new epoch and finishes.
        await Wait.UntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await host.GetAsync("resource/metadata?avid=DEMO-008"));
            return doc.RootElement.GetProperty("data").GetProperty("file_exists").GetBoolean();
        }, DemoHost.Patience, "DEMO-008 to finish downloading after the release");
        ui.AssertClean();
    }

    private async Task<long> LockEpochAsync()
    {
        using var doc = JsonDocument.Parse(await host.GetAsync("monitoring/lock"));
        return doc.RootElement.GetProperty("data").GetProperty("epoch").GetInt64();
    }

    private async Task<long> ManualReleasesAsync()
    {
        using var doc = JsonDocument.Parse(await host.GetAsync("monitoring/stats"));
        return doc.RootElement.GetProperty("data").GetProperty("manual_releases").GetInt64();
    }
}

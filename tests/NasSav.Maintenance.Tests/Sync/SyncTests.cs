using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using NasSav.Maintenance.Sync;
using NasSav.Maintenance.Tests.Support;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.Sync;

public sealed class SyncTests
{
    /// <summary>backup/ with files the patterns select and some they do not.</summary>
    private static async Task<string> MakeSourceAsync()
    {
        var root = Directory.CreateTempSubdirectory("nassav-sync-src-").FullName;
        var backup = Directory.CreateDirectory(Path.Combine(root, "backup")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(backup, "avid_backup_20261101_020000.json"), RandomBytes(1500, 1));
        Directory.CreateDirectory(Path.Combine(backup, "database_20261101_013000"));
        await File.WriteAllBytesAsync(Path.Combine(backup, "database_20261101_013000", "nassav.dump"), RandomBytes(300_000, 2));
        await File.WriteAllBytesAsync(Path.Combine(backup, "database_20261101_013000", "backup_info.json"), RandomBytes(200, 3));
        await File.WriteAllBytesAsync(Path.Combine(backup, "scratch.tmp"), RandomBytes(10, 4));
        await File.WriteAllBytesAsync(Path.Combine(backup, "notes.txt"), RandomBytes(10, 5));
        return root;
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_sync_to_s3rver_copies_only_what_the_rules_select_and_a_second_run_copies_nothing()
    {
        var s3 = await LocalServers.S3rverAsync();
        var bucket = "nassav-" + Guid.NewGuid().ToString("N")[..10];
        var source = await MakeSourceAsync();
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?>
        {
            ["Maintenance:Sync:offsite:Target"] = "S3",
            ["Maintenance:Sync:offsite:Cron"] = "off",
            ["Maintenance:Sync:offsite:S3:ServiceUrl"] = s3,
            ["Maintenance:Sync:offsite:S3:AccessKey"] = "S3RVER",
            ["Maintenance:Sync:offsite:S3:SecretKey"] = "S3RVER",
            ["Maintenance:Sync:offsite:S3:Bucket"] = bucket,
            ["Maintenance:Sync:offsite:S3:Prefix"] = "home/",
            ["Maintenance:Sync:offsite:Sources:0"] = Path.Combine(source, "backup"),
            ["Maintenance:Sync:offsite:Include:0"] = "**/*.json",
            ["Maintenance:Sync:offsite:Include:1"] = "database_*/*.dump",
            ["Maintenance:Sync:offsite:Exclude:0"] = "**/backup_info.json",
            ["Maintenance:Sync:offsite:Rule"] = "SizeDiffers",
            ["Maintenance:Sync:offsite:Threads"] = "2",
        });
        try
        {
            var first = await app.RunJobAsync("sync-offsite");
            Assert.Equal(2, first.GetProperty("counts").GetProperty("copied").GetInt64());
            Assert.Equal(301_500, first.GetProperty("counts").GetProperty("bytes_copied").GetInt64());

            using var client = Client(s3);
            var keys = (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key).Order().ToArray();
            Assert.Equal(["home/backup/avid_backup_20261101_020000.json", "home/backup/database_20261101_013000/nassav.dump"], keys);
            // Byte for byte (no aws-chunked framing stored into the object).
            using (var dump = await client.GetObjectAsync(bucket, "home/backup/database_20261101_013000/nassav.dump"))
            {
                using var copy = new MemoryStream();
                await dump.ResponseStream.CopyToAsync(copy);
                Assert.Equal(RandomBytes(300_000, 2), copy.ToArray());
            }

            var second = await app.RunJobAsync("sync-offsite");
            Assert.Equal(0, second.GetProperty("counts").GetProperty("copied").GetInt64());
            Assert.Equal(2, second.GetProperty("counts").GetProperty("skipped").GetInt64());

            // A changed size is copied again; a file deleted at the source stays at the target.
            await File.WriteAllBytesAsync(Path.Combine(source, "backup", "avid_backup_20261101_020000.json"), RandomBytes(1600, 6));
            File.Delete(Path.Combine(source, "backup", "database_20261101_013000", "nassav.dump"));
            var third = await app.RunJobAsync("sync-offsite");
            Assert.Equal(1, third.GetProperty("counts").GetProperty("copied").GetInt64());
            var after = (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects;
            Assert.Equal(2, after.Count);
            Assert.Equal(1600, after.Single(o => o.Key.EndsWith(".json", StringComparison.Ordinal)).Size);
            var log = first.GetProperty("log").GetString()!;
            Assert.Contains("copied backup/avid_backup_20261101_020000.json", log);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [Theory]
    [InlineData(CopyRule.Missing, 0)]
    [InlineData(CopyRule.SizeDiffers, 1)]
    [InlineData(CopyRule.SourceNewer, 1)]
    public async Task A_folder_sync_follows_its_copy_rule_and_never_deletes_at_the_target(CopyRule rule, int copiedAgain)
    {
        var source = await MakeSourceAsync();
        var target = Directory.CreateTempSubdirectory("nassav-sync-dst-").FullName;
        var keep = Path.Combine(target, "backup", "only-at-target.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(keep)!);
        await File.WriteAllTextAsync(keep, "mine");
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?>
        {
            ["Maintenance:Sync:usb:Path"] = target,
            ["Maintenance:Sync:usb:Cron"] = "off",
            ["Maintenance:Sync:usb:Sources:0"] = Path.Combine(source, "backup"),
            ["Maintenance:Sync:usb:Exclude:0"] = "*.tmp",
            ["Maintenance:Sync:usb:Rule"] = rule.ToString(),
            ["Maintenance:Sync:usb:SlowStorage"] = "true",
            ["Maintenance:Sync:usb:BandwidthBytesPerSecond"] = "100000000",
        });
        try
        {
            var first = await app.RunJobAsync("sync-usb");
            Assert.Equal(4, first.GetProperty("counts").GetProperty("copied").GetInt64());
            Assert.False(File.Exists(Path.Combine(target, "backup", "scratch.tmp")));
            var copiedDump = Path.Combine(target, "backup", "database_20261101_013000", "nassav.dump");
            Assert.Equal(RandomBytes(300_000, 2), await File.ReadAllBytesAsync(copiedDump));
            // The modification time travels with the file (as copy2).
            Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(source, "backup", "database_20261101_013000", "nassav.dump")), File.GetLastWriteTimeUtc(copiedDump));
            Assert.Equal(0, (await app.RunJobAsync("sync-usb")).GetProperty("counts").GetProperty("copied").GetInt64());

            // Change one file: a new size and a later mtime.
            var changed = Path.Combine(source, "backup", "notes.txt");
            await File.WriteAllBytesAsync(changed, RandomBytes(20, 7));
            File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(5));
            Assert.Equal(copiedAgain, (await app.RunJobAsync("sync-usb")).GetProperty("counts").GetProperty("copied").GetInt64());
            Assert.True(File.Exists(keep));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_that_cannot_be_copied_is_retried_then_fails_the_run_with_its_reason()
    {
        var source = await MakeSourceAsync();
        var blocker = Path.Combine(Path.GetTempPath(), $"nassav-sync-file-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocker, "a file where the target folder should be");
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?>
        {
            ["Maintenance:Sync:broken:Path"] = Path.Combine(blocker, "sub"),
            ["Maintenance:Sync:broken:Cron"] = "off",
            ["Maintenance:Sync:broken:Sources:0"] = Path.Combine(source, "backup"),
            ["Maintenance:Sync:broken:Retries"] = "1",
        });
        try
        {
            var run = await app.RunJobAsync("sync-broken", expectStatus: "failed");
            Assert.Contains("could not prepare the target (attempt 1)", run.GetProperty("log").GetString());
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            File.Delete(blocker);
        }
    }

    [Theory]
    [InlineData("**/*.json", "a.json", true)]
    [InlineData("**/*.json", "x/y/a.json", true)]
    [InlineData("*.json", "x/a.json", false)]
    [InlineData("database_*/*.dump", "database_1/n.dump", true)]
    [InlineData("database_*/*.dump", "database_1/deeper/n.dump", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    public void Glob_patterns_match_relative_paths(string pattern, string path, bool match) =>
        Assert.Equal(match, new GlobPattern(pattern).IsMatch(path));

    [Fact]
    public void Slow_storage_means_one_thread_longer_timeouts_and_more_retries()
    {
        var fast = new SyncTaskOptions { Path = "/x", Threads = 8, Retries = 2, TimeoutSeconds = 60 };
        var slow = new SyncTaskOptions { Path = "/x", Threads = 8, Retries = 2, TimeoutSeconds = 60, SlowStorage = true };
        Assert.Equal(8, fast.EffectiveThreads);
        Assert.Equal(1, slow.EffectiveThreads);
        Assert.True(slow.EffectiveRetries > fast.EffectiveRetries);
        Assert.True(slow.EffectiveTimeout > fast.EffectiveTimeout);
        Assert.True(slow.BackoffBase > fast.BackoffBase);
    }

    private static AmazonS3Client Client(string url) => new(new BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
}

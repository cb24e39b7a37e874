using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Tests.Cli;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Data;

/// <summary>Issue 17: only <c>serve</c> and <c>migrate</c> change the schema; the pipe checks it and defers (75) when it
/// is behind; a migration lock left by a killed process does not wedge every later start.</summary>
public sealed class MigrationStartupTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("reglament-migrate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private string DataDir => Path.Combine(root, "db");

    private string DbPath => Path.Combine(DataDir, "reglament.db");

    private static readonly byte[] Mail = "From: stranger@nowhere.test\r\nSubject: hello\r\nMessage-ID: <m1@nowhere.test>\r\n\r\nЛогин u10001.\r\n"u8.ToArray();

    private ServiceProvider Services(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Storage:DataDirectory"] = DataDir };
        foreach (var (key, value) in settings ?? [])
            values[key] = value;
        return new ServiceCollection().AddLogging()
            .AddReglament(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), new FakeClock(TestDesk.Tuesday10Msk))
            .BuildServiceProvider();
    }

    /// <summary>What a process killed inside EF Core's Migrate leaves behind on SQLite: the lock table and its row.</summary>
    private void LeaveStaleLockRow()
    {
        Directory.CreateDirectory(DataDir);
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
            INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-06 03:00:00+00:00');
            """;
        command.ExecuteNonQuery();
    }

    private long LockRows()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "__EFMigrationsLock" """;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Ingest_BeforeMigrate_Exit75WithTheRemedy_CreatesNothing_ThenAfterMigrateTakesTheMessage()
    {
        var refused = await ReglamentProcess.RunAsync(["ingest", "--data-dir", DataDir], Mail);

        Assert.Equal(75, refused.ExitCode);
        Assert.Contains("reglament migrate", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(DbPath), "ingest must not create or migrate the database");

        var migrate = await ReglamentProcess.RunAsync(["migrate", "--data-dir", DataDir]);
        Assert.True(migrate.ExitCode == 0, migrate.Error);
        // An unknown sender is quarantined — kept by the desk — so Postfix must hear "delivered".
        var taken = await ReglamentProcess.RunAsync(["ingest", "--data-dir", DataDir], Mail);
        Assert.True(taken.ExitCode == 0, taken.Error);
        Assert.Contains("\"Quarantined\"", taken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureCurrent_OnADatabaseBehind_IsSchemaBehind_AndDoesNotMigrate()
    {
        LeaveStaleLockRow(); // an existing file without any migration applied
        await using var services = Services();

        var error = await Assert.ThrowsAsync<SchemaBehindException>(() => Storage.EnsureCurrentAsync(services, TestContext.Current.CancellationToken));

        Assert.NotEmpty(error.Pending);
        Assert.True(Storage.IsUnavailable(error), "a schema behind is a temporary failure (75)");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        Assert.Empty(await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetAppliedMigrationsAsync(db.Database, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Migrate_WithAStaleLockRowFromAKilledProcess_Completes()
    {
        LeaveStaleLockRow();

        // Without the stale-lock check EF Core waits for the row forever: this would end only at the process timeout.
        var migrate = await ReglamentProcess.RunAsync(["migrate", "--data-dir", DataDir]);

        Assert.True(migrate.ExitCode == 0, migrate.Error);
        Assert.Contains("stale migration lock", migrate.Error, StringComparison.Ordinal);
        Assert.Equal(0, LockRows());
        await using var services = Services();
        await Storage.EnsureCurrentAsync(services, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Migrate_WhileAnotherProcessHoldsTheLock_FailsClearlyAfterTheTimeout_NotForever()
    {
        Directory.CreateDirectory(DataDir);
        // A live holder: the OS file lock a migrating Reglament process holds.
        await using (var holder = new FileStream(DbPath + ".migrate.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await using var services = Services(new() { ["Storage:MigrationLockTimeout"] = "00:00:01" });
            var error = await Assert.ThrowsAsync<MigrationLockException>(() => Storage.PrepareAsync(services, TestContext.Current.CancellationToken));
            Assert.Contains("--break-lock", error.Message, StringComparison.Ordinal);
            Assert.True(Storage.IsUnavailable(error));
        }
        // The holder gone, the next start migrates.
        await using var next = Services();
        Assert.True(await Storage.PrepareAsync(next, TestContext.Current.CancellationToken) > 0);
    }

    [Fact]
    public async Task MigrateBreakLock_RemovesTheRowWhoeverLeftIt()
    {
        await ReglamentProcess.MigrateAsync(DataDir);
        SqliteConnection.ClearAllPools();
        LeaveStaleLockRow();

        var result = await ReglamentProcess.RunAsync(["migrate", "--break-lock", "--data-dir", DataDir]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("lock removed", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, LockRows());
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Reglament.Data;

/// <summary>Another process is migrating the database and did not finish within
/// <see cref="StorageOptions.MigrationLockTimeout"/>: a clear error (exit 75) instead of waiting forever.</summary>
public sealed class MigrationLockException(string message) : Exception(message);

/// <summary>Migrations that a killed process cannot wedge. EF Core serialises <c>Migrate</c> through a lock: on SQLite a
/// row in <c>__EFMigrationsLock</c>, which a process killed while holding it leaves behind — and EF then waits for it
/// forever, at 0 % CPU, in every later process. Beside the database file Reglament takes an OS file lock (flock,
/// released by the kernel when its holder dies, however it dies) before it migrates: whoever holds the file lock is the
/// only Reglament process that can own the row, so a row it finds is stale and is removed. PostgreSQL needs no such
/// help: Npgsql's migration lock belongs to the migrating session and dies with its connection; there the wait is only
/// bounded by the timeout.</summary>
public static class MigrationLock
{
    public const string LockTable = "__EFMigrationsLock";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Applies pending migrations; nothing (no lock at all) when the schema is current.</summary>
    public static async Task<int> MigrateAsync(ReglamentDb db, StorageOptions options, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending == 0)
            return 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MigrationLockTimeout);
        try
        {
            if (options.UsesPostgres)
            {
                await db.Database.MigrateAsync(timeout.Token);
                return pending;
            }
            using var held = await AcquireFileLockAsync(FilePath(options), timeout.Token);
            if (await RemoveAsync(db, cancellationToken) is { } stale)
                await Console.Error.WriteLineAsync("reglament: " + StorageTexts.Both("StaleLockRemoved", stale));
            await db.Database.MigrateAsync(timeout.Token);
            return pending;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MigrationLockException(StorageTexts.Both("MigrationLockBusy", options.Describe(), Holder(options), options.MigrationLockTimeout.ToString("c", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary><c>reglament migrate --break-lock</c>: removes EF Core's lock row whoever left it (a tool other than
    /// Reglament, killed while migrating); returns when it was taken, or null when there was none.</summary>
    public static Task<string?> BreakAsync(ReglamentDb db, CancellationToken cancellationToken) => RemoveAsync(db, cancellationToken);

    private static async Task<string?> RemoveAsync(ReglamentDb db, CancellationToken cancellationToken)
    {
        var exists = db.Database.IsNpgsql()
            ? await db.Database.SqlQueryRaw<bool>($"SELECT to_regclass('\"{LockTable}\"') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken)
            : await db.Database.SqlQueryRaw<long>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '{LockTable}'").SingleAsync(cancellationToken) > 0;
        if (!exists)
            return null;
        var taken = await db.Database.SqlQueryRaw<string>($"SELECT CAST(\"Timestamp\" AS TEXT) AS \"Value\" FROM \"{LockTable}\"").ToListAsync(cancellationToken);
        if (taken.Count == 0)
            return null;
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{LockTable}\"", cancellationToken);
        return taken[0];
    }

    private static string FilePath(StorageOptions options) => options.SqlitePath + ".migrate.lock";

    /// <summary>The exclusive file lock (FileShare.None is flock(LOCK_EX) on Unix, a share lock on Windows), with the
    /// holder's process id inside for the error message.</summary>
    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                stream.SetLength(0);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                return stream;
            }
            catch (IOException)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    private static string Holder(StorageOptions options)
    {
        if (options.UsesPostgres)
            return "";
        try
        {
            // The holder's lock is advisory: reading the file is allowed while it is held.
            using var stream = new FileStream(FilePath(options), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd() is { Length: > 0 } pid ? $" (pid {pid.Trim()})" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}

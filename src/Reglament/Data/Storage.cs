using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Reglament.Data;

/// <summary>Where Reglament keeps its data: a SQLite file under <see cref="DataDirectory"/> by default, or
/// PostgreSQL when <c>ConnectionStrings:Postgres</c> is set.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Directory of the SQLite file (and of other local state); relative paths are to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>An Npgsql connection string; when set, PostgreSQL is used instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How long <c>serve</c> or <c>migrate</c> waits for another process that is migrating the same
    /// database before it gives up with a clear error (exit 75) instead of waiting forever.</summary>
    public TimeSpan MigrationLockTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "reglament.db"));

    /// <summary>Where the data is, for logs and messages; never includes a password.</summary>
    public string Describe()
    {
        if (!UsesPostgres)
            return $"SQLite {SqlitePath}";
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}

/// <summary>The storage is missing or unusable: an unwritable data directory, a PostgreSQL that is down.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The database has not been brought to this build's schema: <c>reglament migrate</c> (or <c>serve</c>) must
/// run first. A temporary failure for an MTA — the message waits in its queue.</summary>
public sealed class SchemaBehindException(StorageOptions options, IReadOnlyList<string> pending)
    : Exception(StorageTexts.Both("SchemaBehind", options.Describe(), pending.Count, string.Join(", ", pending.Take(3)) + (pending.Count > 3 ? ", …" : "")))
{
    public IReadOnlyList<string> Pending { get; } = pending;
}

public static class Storage
{
    public static IServiceCollection AddReglamentStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);
        if (options.UsesPostgres)
        {
            services.AddDbContext<PostgresReglamentDb>(o => o.UseNpgsql(options.PostgresConnectionString, npgsql => npgsql.UseNodaTime()));
            services.AddScoped<ReglamentDb>(sp => sp.GetRequiredService<PostgresReglamentDb>());
        }
        else
        {
            var connection = new SqliteConnectionStringBuilder { DataSource = options.SqlitePath, ForeignKeys = true, DefaultTimeout = 30 }.ToString();
            // A SQLite table rebuild switches foreign keys off around it, which SQLite cannot do inside a transaction;
            // EF warns about it on every fresh database. The rebuild is EF's own and runs once, on a new or older file.
            services.AddDbContext<SqliteReglamentDb>(o => o.UseSqlite(connection)
                .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning)));
            services.AddScoped<ReglamentDb>(sp => sp.GetRequiredService<SqliteReglamentDb>());
        }
        return services;
    }

    /// <summary>Creates the data directory and brings the schema up to date (<c>serve</c>, <c>migrate</c>); a clear
    /// <see cref="StorageUnavailableException"/> when that cannot be done — also when another process holds the
    /// migration lock longer than <see cref="StorageOptions.MigrationLockTimeout"/>.</summary>
    public static async Task<int> PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<StorageOptions>();
        EnsureWritableDirectory(options);
        var applied = 0;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        try
        {
            applied = await MigrationLock.MigrateAsync(db, options, cancellationToken);
            // Tickets stored before the search index existed get their rows here (stems are computed in code).
            await Tickets.TicketSearch.BackfillAsync(db, cancellationToken);
            if (!options.UsesPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                // Table statistics for the query planner (what ANALYZE gathers; PostgreSQL's autovacuum does this by
                // itself): without them SQLite guesses, and picked the assignee index over the status index for
                // "open and unassigned" — a 25,000-row scan instead of a few hundred. 0x10002: analyze every table,
                // with a row limit so it stays fast on a large database. Only where the schema is managed (serve,
                // migrate): a delivery must not pay for it.
                await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;", cancellationToken);
            }
        }
        catch (Exception e) when (IsUnavailable(e) && !IsExplained(e))
        {
            throw new StorageUnavailableException($"The database ({options.Describe()}) is unavailable: {e.GetBaseException().Message}", e);
        }
        return applied;
    }

    /// <summary>For the short commands (<c>ingest</c>, imports, lists): the storage is reachable and its schema is
    /// the one this build expects — checked, never changed. Reading the migrations history is one small query; a
    /// schema behind throws <see cref="SchemaBehindException"/> (exit 75: Postfix keeps the message and retries
    /// after the operator ran <c>reglament migrate</c>).</summary>
    public static async Task EnsureCurrentAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<StorageOptions>();
        EnsureWritableDirectory(options);
        // Opening a SQLite file that is not there would create an empty one; a missing file is a desk never migrated.
        if (!options.UsesPostgres && !File.Exists(options.SqlitePath))
            throw new SchemaBehindException(options, ["(the database file does not exist)"]);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
                throw new SchemaBehindException(options, pending);
        }
        catch (Exception e) when (IsUnavailable(e) && !IsExplained(e))
        {
            throw new StorageUnavailableException($"The database ({options.Describe()}) is unavailable: {e.GetBaseException().Message}", e);
        }
    }

    private static void EnsureWritableDirectory(StorageOptions options)
    {
        if (options.UsesPostgres)
            return;
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            var probe = Path.Combine(options.DataDirectory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"The data directory {Path.GetFullPath(options.DataDirectory)} cannot be written: {e.Message}", e);
        }
    }

    /// <summary>Failures that already say what is wrong and what to do.</summary>
    private static bool IsExplained(Exception e) => e is StorageUnavailableException or SchemaBehindException or MigrationLockException;

    /// <summary>A save broke a unique index: another transaction (another node) wrote the same key first.</summary>
    public static bool IsUniqueViolation(Exception e) =>
        e.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 };

    /// <summary>Connection and I/O failures, as opposed to bugs.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is StorageUnavailableException or SchemaBehindException or MigrationLockException or NpgsqlException or SqliteException or TimeoutException or System.Net.Sockets.SocketException
        || (e is InvalidOperationException && e.InnerException is not null && IsUnavailable(e.InnerException))
        || (e is DbUpdateException && e.InnerException is not null && IsUnavailable(e.InnerException));
}

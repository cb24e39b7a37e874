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

    /// <summary>Creates the data directory and brings the schema up to date; a clear
    /// <see cref="StorageUnavailableException"/> when that cannot be done.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<StorageOptions>();
        if (!options.UsesPostgres)
        {
            try
            {
                Directory.CreateDirectory(options.DataDirectory);
                var probe = Path.Combine(options.DataDirectory, ".write-test");
                await File.WriteAllTextAsync(probe, "", cancellationToken);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StorageUnavailableException($"The data directory {Path.GetFullPath(options.DataDirectory)} cannot be written: {e.Message}", e);
            }
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (!options.UsesPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                // Table statistics for the query planner (what ANALYZE gathers; PostgreSQL's autovacuum does this by
                // itself): without them SQLite guesses, and picked the assignee index over the status index for
                // "open and unassigned" — a 25,000-row scan instead of a few hundred. 0x10002: analyze every table,
                // with a row limit so it stays fast on a large database.
                await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;", cancellationToken);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException($"The database ({options.Describe()}) is unavailable: {e.GetBaseException().Message}", e);
        }
    }

    /// <summary>Connection and I/O failures, as opposed to bugs.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is StorageUnavailableException or NpgsqlException or SqliteException or TimeoutException or System.Net.Sockets.SocketException
        || (e is InvalidOperationException && e.InnerException is not null && IsUnavailable(e.InnerException))
        || (e is DbUpdateException && e.InnerException is not null && IsUnavailable(e.InnerException));
}

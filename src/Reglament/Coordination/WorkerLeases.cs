using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Reglament.Data;

namespace Reglament.Coordination;

/// <summary>How nodes sharing one PostgreSQL agree which of them runs a singleton worker (<see cref="WorkerLeases"/>).</summary>
public sealed class LeaseOptions
{
    public const string Section = "Coordination";

    /// <summary>How often a node that does not hold a lease asks for it again: the longest a worker stays without a
    /// holder after the holder's session ended.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the holder checks that its session (and so its lock) is still there.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>PostgreSQL ends a holder's session that has been silent this long (<c>idle_session_timeout</c>), which
    /// releases the lock of a node that froze or was cut off without its connection closing.</summary>
    public TimeSpan HolderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often <c>serve</c> looks whether another node changed the knowledge base or the calendar
    /// (<see cref="SharedStateRefresher"/>).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Singleton workers — the IMAP intake, the SLA watcher, the quiet-answer resolver — run on one node at a
/// time. On PostgreSQL a worker runs only while its node holds a session advisory lock on a dedicated connection:
/// when the node dies its connection closes and PostgreSQL releases the lock at once (a frozen or cut-off node's
/// session is ended after <see cref="LeaseOptions.HolderTimeout"/>), and another node, asking every
/// <see cref="LeaseOptions.PollInterval"/>, takes over. The holder checks its session every
/// <see cref="LeaseOptions.CheckInterval"/> and stops the worker when it is gone; in that window both may run, which
/// is why the workers' own writes are claims too (a ticket's warning, a mailbox UID). On SQLite the desk is one node
/// and the lease is always held.
/// <para>Why advisory locks rather than a lease row: nothing to renew, no clock to trust across nodes, and the
/// release on a dead connection is PostgreSQL's own.</para></summary>
public sealed partial class WorkerLeases(StorageOptions storage, IOptions<LeaseOptions> options, ILogger<WorkerLeases> logger)
{
    /// <summary>The first half of every lock key ('RGLT'), so the desk's locks do not meet another application's.</summary>
    private const int KeySpace = 0x52474C54;

    private readonly ConcurrentDictionary<string, bool> held = new(StringComparer.Ordinal);

    /// <summary>Whether this node is running the worker <paramref name="name"/> now.</summary>
    public bool IsHeld(string name) => held.ContainsKey(name);

    /// <summary>Runs <paramref name="work"/> whenever this node holds the lease <paramref name="name"/>, until
    /// <paramref name="stoppingToken"/>; the token given to the work is cancelled when the lease is lost, and the
    /// work is started again when it is won back.</summary>
    public async Task RunWhileHeldAsync(string name, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        if (!storage.UsesPostgres)
        {
            held[name] = true;
            try { await work(stoppingToken); }
            finally { held.TryRemove(name, out _); }
            return;
        }
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await OpenAsync(stoppingToken);
                while (!await TryLockAsync(connection, name, stoppingToken))
                    await Task.Delay(settings.PollInterval, stoppingToken);
                await HoldAsync(connection, name, work, stoppingToken);
                // Disposing the connection ends the session, which releases the lock.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Storage.IsUnavailable(e))
            {
                LogUnavailable(e, name);
            }
            try { await Task.Delay(settings.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task HoldAsync(NpgsqlConnection connection, string name, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watch = WatchAsync(connection, name, lost, watching.Token);
        held[name] = true;
        LogAcquired(name);
        try
        {
            await work(lost.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The session went away under the worker: it stopped, and the lease is asked for again.
        }
        finally
        {
            held.TryRemove(name, out _);
            await watching.CancelAsync();
            await watch;
        }
    }

    /// <summary>Pings the holder's session; when it fails the lock is gone with it, so the worker is stopped.</summary>
    private async Task WatchAsync(NpgsqlConnection connection, string name, CancellationTokenSource lost, CancellationToken cancellationToken)
    {
        var interval = options.Value.CheckInterval;
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = Math.Max(1, (int)interval.TotalSeconds) };
                await ping.ExecuteScalarAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (Storage.IsUnavailable(e) || e is InvalidOperationException)
        {
            LogLost(e, name);
            await lost.CancelAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Its own physical connection: a pooled one could go back to the pool still holding the lock.
        var builder = new NpgsqlConnectionStringBuilder(storage.PostgresConnectionString)
        {
            Pooling = false,
            ApplicationName = "reglament lease",
            KeepAlive = Math.Max(1, (int)options.Value.CheckInterval.TotalSeconds),
        };
        var connection = new NpgsqlConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, @key)", connection);
        command.Parameters.AddWithValue("space", KeySpace);
        command.Parameters.AddWithValue("key", KeyOf(name));
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            return false;
        // Only now: a waiting node's connection is quiet between polls longer than a holder's.
        await using var timeout = new NpgsqlCommand($"SET idle_session_timeout = {(long)options.Value.HolderTimeout.TotalMilliseconds}", connection);
        try
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject)
        {
            // PostgreSQL before 14 has no idle_session_timeout: a dead node's lock is still released when its
            // connection closes, but a frozen or cut-off holder keeps it until TCP gives up on the connection.
            LogNoHolderTimeout(name);
        }
        return true;
    }

    /// <summary>The lock's second half: FNV-1a of the name, stable across processes and builds (string.GetHashCode is not).</summary>
    public static int KeyOf(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 16777619u;
        return unchecked((int)hash);
    }

    [LoggerMessage(LogLevel.Information, "This node now runs {Worker}")]
    private partial void LogAcquired(string worker);

    [LoggerMessage(LogLevel.Warning, "Lost the lease of {Worker}: its session ended; the worker stopped and another node may take it")]
    private partial void LogLost(Exception e, string worker);

    [LoggerMessage(LogLevel.Warning, "Lease of {Worker}: this PostgreSQL has no idle_session_timeout (before 14); a frozen holder is noticed only when its connection breaks")]
    private partial void LogNoHolderTimeout(string worker);

    [LoggerMessage(LogLevel.Warning, "Lease of {Worker}: storage unavailable; asking again")]
    private partial void LogUnavailable(Exception e, string worker);
}

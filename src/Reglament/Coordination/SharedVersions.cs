using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reglament.Data;
using Reglament.Knowledge;
using Reglament.Sla;

namespace Reglament.Coordination;

/// <summary>A counter of changes to something every node keeps in memory: the knowledge base's search index and the
/// imported production calendar years. The node that changes it increments the counter in the same transaction.</summary>
public sealed class SharedVersion
{
    public const string Knowledge = "knowledge";
    public const string Calendar = "calendar";

    public required string Name { get; set; }

    public long Number { get; set; }
}

/// <summary>What this node has loaded of the in-memory state that other nodes can change, and the increments that
/// tell them. A version row polled every few seconds rather than LISTEN/NOTIFY: the same on both engines, one small
/// query, and a notification missed while a node was disconnected cannot be lost.</summary>
public sealed class SharedVersions
{
    private readonly ConcurrentDictionary<string, long> loaded = new(StringComparer.Ordinal);

    /// <summary>Counts one change of <paramref name="name"/>; call it in the transaction of the change.</summary>
    public static Task BumpAsync(ReglamentDb db, string name, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "SharedVersions" ("Name", "Number") VALUES ({name}, 1)
            ON CONFLICT ("Name") DO UPDATE SET "Number" = "SharedVersions"."Number" + 1
            """, cancellationToken);

    /// <summary>The stored counters (absent: never changed, 0).</summary>
    public static async Task<Dictionary<string, long>> ReadAsync(ReglamentDb db, CancellationToken cancellationToken) =>
        await db.Set<SharedVersion>().AsNoTracking().ToDictionaryAsync(v => v.Name, v => v.Number, StringComparer.Ordinal, cancellationToken);

    /// <summary>Records what this node has loaded; read the counters before loading, so a change made meanwhile is
    /// loaded again on the next poll instead of being missed.</summary>
    public void Loaded(IReadOnlyDictionary<string, long> versions)
    {
        foreach (var (name, number) in versions)
            loaded[name] = number;
    }

    public long LoadedOf(string name) => loaded.TryGetValue(name, out var n) ? n : 0;
}

/// <summary>Polls <see cref="SharedVersions"/> in <c>serve</c> and reloads what another node changed: the calendar
/// years (deadlines) and the knowledge base index. Every node polls, so it is not a leased worker.</summary>
public sealed partial class SharedStateRefresher(IServiceScopeFactory scopes, SharedVersions versions, TicketDeadlines deadlines, IOptions<LeaseOptions> options,
    ILogger<SharedStateRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (Storage.IsUnavailable(e))
            {
                LogUnavailable(e);
            }
        }
    }

    /// <summary>One poll: reloads whatever changed since it was loaded; returns the names reloaded.</summary>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var stored = await SharedVersions.ReadAsync(db, cancellationToken);
        var reloaded = new List<string>();
        foreach (var (name, number) in stored)
        {
            if (number == versions.LoadedOf(name))
                continue;
            switch (name)
            {
                case SharedVersion.Calendar:
                    await deadlines.LoadStoredYearsAsync(db, cancellationToken);
                    break;
                case SharedVersion.Knowledge:
                    await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().RebuildIndexAsync(cancellationToken);
                    break;
                default:
                    continue;
            }
            versions.Loaded(new Dictionary<string, long> { [name] = number });
            LogReloaded(name, number);
            reloaded.Add(name);
        }
        return reloaded;
    }

    [LoggerMessage(LogLevel.Information, "Reloaded {Name} (version {Number}): changed on another node or by a command")]
    private partial void LogReloaded(string name, long number);

    [LoggerMessage(LogLevel.Warning, "Refreshing shared state: storage unavailable; retrying")]
    private partial void LogUnavailable(Exception e);
}

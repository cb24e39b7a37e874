using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Reglament.Data;

namespace Reglament.Web;

/// <summary>How many requests one partition (a client address, a subscriber) made under one policy in one fixed window.</summary>
public sealed class RateLimitWindow
{
    public const int KeyLength = 200;

    /// <summary>The policy's name and the partition: <c>sign-in:203.0.113.7</c>.</summary>
    public required string Key { get; set; }

    public Instant Start { get; set; }

    /// <summary>When the window is over and the row may be deleted.</summary>
    public Instant Ends { get; set; }

    public int Count { get; set; }
}

/// <summary>A fixed-window limit on an endpoint marked with <see cref="SharedRateLimitAttribute"/>: at most
/// <see cref="PermitLimit"/> requests per <see cref="Window"/> for each partition <see cref="Partition"/> names
/// (null: the request is not counted).</summary>
public sealed record SharedRateLimitPolicy(string Name, int PermitLimit, Duration Window, Func<HttpContext, string?> Partition);

/// <summary>Puts a page or endpoint under a <see cref="SharedRateLimitPolicy"/> by its name.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SharedRateLimitAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary>Rate limits every node shares: the count lives in the database, not in a node's memory, so N nodes behind a
/// load balancer allow the configured rate, not N times it. ASP.NET Core's own limiters count in memory, and their
/// synchronous first attempt does not fit a database round trip, so this is a small middleware of its own.</summary>
/// <remarks>One request is one atomic upsert of the partition's row for the current window (<c>INSERT … ON CONFLICT DO
/// UPDATE … RETURNING</c>, the same SQL on SQLite and PostgreSQL): two nodes counting at once both see the sum. Windows
/// are aligned to the Unix epoch, so every node puts an instant in the same window. The first request of a window
/// deletes the rows of windows that are over, so the table holds about one row per active partition.</remarks>
public sealed class SharedRateLimits(IClock clock, IEnumerable<SharedRateLimitPolicy> policies)
{
    private readonly Dictionary<string, SharedRateLimitPolicy> byName = policies.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>Counts one request of <paramref name="partition"/> under <paramref name="policy"/>; false when it is
    /// over the limit (it is counted all the same: hammering does not open the window sooner).</summary>
    public async Task<bool> TryCountAsync(ReglamentDb db, SharedRateLimitPolicy policy, string partition, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var window = policy.Window.BclCompatibleTicks;
        var ticks = now.ToUnixTimeTicks();
        var start = Instant.FromUnixTimeTicks(ticks - ((ticks % window) + window) % window);
        var ends = start + policy.Window;
        var key = $"{policy.Name}:{partition}";
        if (key.Length > RateLimitWindow.KeyLength)
            key = key[..RateLimitWindow.KeyLength];
        var count = (await db.Database.SqlQuery<int>($"""
            INSERT INTO "RateLimitWindows" ("Key", "Start", "Ends", "Count") VALUES ({key}, {Stored(db, start)}, {Stored(db, ends)}, 1)
            ON CONFLICT ("Key", "Start") DO UPDATE SET "Count" = "RateLimitWindows"."Count" + 1
            RETURNING "Count" AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        if (count == 1)
            await db.Set<RateLimitWindow>().Where(w => w.Ends <= now).ExecuteDeleteAsync(cancellationToken);
        return count <= policy.PermitLimit;
    }

    public SharedRateLimitPolicy Policy(string name) =>
        byName.TryGetValue(name, out var policy) ? policy : throw new InvalidOperationException($"No rate limit policy '{name}' is registered.");

    /// <summary>An instant as the engine stores it (SQLite: Unix ticks through the model's converter; PostgreSQL: itself),
    /// because a raw statement's parameters do not pass through the model.</summary>
    private static object Stored(ReglamentDb db, Instant instant) =>
        db.Model.FindEntityType(typeof(RateLimitWindow))!.FindProperty(nameof(RateLimitWindow.Start))!.GetTypeMapping().Converter?.ConvertToProvider(instant) ?? instant;
}

public static class SharedRateLimitsWiring
{
    public static IServiceCollection AddSharedRateLimit(this IServiceCollection services, SharedRateLimitPolicy policy)
    {
        services.AddSingleton(policy);
        services.TryAddSingleton<SharedRateLimits>();
        return services;
    }

    /// <summary>After authentication and authorization, so a partition may be the signed-in subscriber. A request over
    /// its limit gets 429 and goes no further.</summary>
    public static IApplicationBuilder UseSharedRateLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<SharedRateLimitAttribute>() is { } marked)
        {
            var limits = http.RequestServices.GetRequiredService<SharedRateLimits>();
            var policy = limits.Policy(marked.Policy);
            if (policy.Partition(http) is { } partition
                && !await limits.TryCountAsync(http.RequestServices.GetRequiredService<ReglamentDb>(), policy, partition, http.RequestAborted))
            {
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }
        }
        await next(http);
    });
}

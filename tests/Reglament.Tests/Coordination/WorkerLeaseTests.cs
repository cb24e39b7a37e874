using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Reglament.Coordination;
using Reglament.Knowledge;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Tests.Infrastructure;
using Reglament.Tests.Mail;

namespace Reglament.Tests.Coordination;

/// <summary>Two nodes on one PostgreSQL: each singleton worker runs on one of them, and when its holder stops, dies or
/// loses its session, the other takes it over within seconds.</summary>
public sealed class WorkerLeaseTests(PostgresServer postgres)
{
    private static readonly string[] Leases = [ImapIntake.LeaseName, SlaWatcher.LeaseName, AnsweredTickets.LeaseName];

    /// <summary>Short intervals so the test is quick; the mechanism is the same as with the defaults.</summary>
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Coordination:PollInterval"] = "00:00:00.300",
        ["Coordination:CheckInterval"] = "00:00:00.300",
        ["Coordination:HolderTimeout"] = "00:00:03",
        // A mailbox nobody listens on: the intake worker only keeps reconnecting, which is all this test needs of it.
        ["Mail:Imap:Mailboxes:0:Host"] = "127.0.0.1",
        ["Mail:Imap:Mailboxes:0:Port"] = "9",
        ["Mail:Imap:Mailboxes:0:Security"] = "None",
        ["Mail:Imap:Mailboxes:0:UserName"] = "support",
    };

    [Fact]
    public async Task EachSingletonWorker_RunsOnOneNode_AndTheOtherTakesOverWhenTheHolderStops()
    {
        await using var first = await TestDesk.CreateAsync(Engine.Postgres, postgres, Fast);
        await using var second = await first.SecondNodeAsync(Fast);
        await using var onFirst = await Workers.StartAsync(first);
        await using var onSecond = await Workers.StartAsync(second);
        var leasesOf = new[] { first.Services.GetRequiredService<WorkerLeases>(), second.Services.GetRequiredService<WorkerLeases>() };

        foreach (var lease in Leases)
            await UntilAsync(() => leasesOf.Count(l => l.IsHeld(lease)) == 1, $"one node to run {lease}");
        // For a while (well over the nodes' polls) no worker runs twice, and PostgreSQL agrees: three locks, granted once.
        var watched = Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(2))
        {
            foreach (var lease in Leases)
                Assert.Equal(1, leasesOf.Count(l => l.IsHeld(lease)));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Equal(3, await GrantedLeaseLocksAsync(first));

        // The holder of each worker stops it (a node shut down): the other node runs it within seconds.
        foreach (var lease in Leases)
        {
            var holder = leasesOf[0].IsHeld(lease) ? 0 : 1;
            await (holder == 0 ? onFirst : onSecond).StopAsync(lease);
            var handover = Stopwatch.StartNew();
            await UntilAsync(() => leasesOf[1 - holder].IsHeld(lease), $"the other node to take {lease} over");
            Assert.True(handover.Elapsed < TimeSpan.FromSeconds(5), $"{lease} was taken over after {handover.Elapsed}");
            Assert.False(leasesOf[holder].IsHeld(lease));
        }
    }

    [Fact]
    public async Task AHolderWhoseSessionIsEnded_StopsItsWorkers_AndTheyRunAgainOnOneNode()
    {
        await using var first = await TestDesk.CreateAsync(Engine.Postgres, postgres, Fast);
        await using var second = await first.SecondNodeAsync(Fast);
        await using var onFirst = await Workers.StartAsync(first);
        await using var onSecond = await Workers.StartAsync(second);
        var leasesOf = new[] { first.Services.GetRequiredService<WorkerLeases>(), second.Services.GetRequiredService<WorkerLeases>() };
        foreach (var lease in Leases)
            await UntilAsync(() => leasesOf.Count(l => l.IsHeld(lease)) == 1, $"one node to run {lease}");
        var before = await LeaseSessionsAsync(first);

        // What a node cut off from the database sees: PostgreSQL ends its sessions, and with them its locks.
        await using (var admin = await OpenAsync(first))
        await using (var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", admin))
            Assert.Equal(3L, await terminate.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        // Every worker runs again, on one node, under a new session.
        await UntilAsync(async () => await GrantedLeaseLocksAsync(first) == 3 && !(await LeaseSessionsAsync(first)).Intersect(before).Any()
            && Leases.All(lease => leasesOf.Count(l => l.IsHeld(lease)) == 1), "the workers to be held again under new sessions");
    }

    [Fact]
    public async Task KilledServeNode_TheOtherTakesItsWorkersOverWithinSeconds()
    {
        var database = postgres.NewDatabase();
        var dataDir = Directory.CreateTempSubdirectory("reglament-lease-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = database,
            ["Policy:Authentication:Disabled"] = "true",
            ["Logging:LogLevel:Reglament.Coordination"] = "Information",
        };
        foreach (var (key, value) in Fast)
            settings[key] = value!;
        try
        {
            await using var first = await ServeProcess.StartAsync(dataDir, settings);
            await first.UntilAsync(() => Task.FromResult(Leases.All(l => first.Log().Contains($"This node now runs {l}", StringComparison.Ordinal))), "the first node to run every worker");
            await using var second = await ServeProcess.StartAsync(dataDir, settings);
            Assert.DoesNotContain("This node now runs", second.Log(), StringComparison.Ordinal);

            await first.KillAsync();
            var handover = Stopwatch.StartNew();
            await second.UntilAsync(() => Task.FromResult(Leases.All(l => second.Log().Contains($"This node now runs {l}", StringComparison.Ordinal))), "the second node to take every worker over", seconds: 30);
            Assert.True(handover.Elapsed < TimeSpan.FromSeconds(10), $"taken over after {handover.Elapsed}");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(TestDesk desk)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(desk.Configuration.GetConnectionString("Postgres")) { Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task<long> GrantedLeaseLocksAsync(TestDesk desk)
    {
        await using var connection = await OpenAsync(desk);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<int>> LeaseSessionsAsync(TestDesk desk)
    {
        await using var connection = await OpenAsync(desk);
        await using var query = new NpgsqlCommand("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var pids = new List<int>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            pids.Add(reader.GetInt32(0));
        return pids;
    }

    private static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls until the condition holds; the deadline only keeps a broken run from hanging.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
                Assert.Fail($"Waited in vain for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The three singleton workers of one node, started as <c>serve</c> starts them; stopped when disposed.</summary>
    private sealed class Workers : IAsyncDisposable
    {
        private readonly Dictionary<string, IHostedService> byLease;

        private Workers(Dictionary<string, IHostedService> byLease) => this.byLease = byLease;

        public static async Task<Workers> StartAsync(TestDesk desk)
        {
            var workers = new Workers(new Dictionary<string, IHostedService>
            {
                [ImapIntake.LeaseName] = ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services),
                [SlaWatcher.LeaseName] = desk.Services.GetRequiredService<SlaWatcher>(),
                [AnsweredTickets.LeaseName] = desk.Services.GetRequiredService<AnsweredTickets>(),
            });
            foreach (var worker in workers.byLease.Values)
                await worker.StartAsync(TestContext.Current.CancellationToken);
            return workers;
        }

        public Task StopAsync(string lease) => byLease[lease].StopAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            // Stopped, not disposed: two of them belong to the desk's service provider, which disposes them.
            foreach (var worker in byLease.Values)
                await worker.StopAsync(CancellationToken.None);
        }
    }
}

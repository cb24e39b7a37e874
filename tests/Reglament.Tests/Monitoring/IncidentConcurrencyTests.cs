using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Monitoring;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Monitoring;

/// <summary>The same alert arriving at two nodes of one PostgreSQL desk at the same moment opens one incident.</summary>
public sealed class IncidentConcurrencyTests(PostgresServer postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Alert Disk(bool firing) => new(AlertPayloads.Alertmanager, "fp-race", firing, "DiskFull", "critical", "db-1: disk full", ["db-1"]);

    [Fact]
    public async Task ParallelAlertsOnTwoNodes_OpenOneIncident_AndUpdateIt_AlsoAfterTheReopenWindow()
    {
        await using var first = await TestDesk.CreateAsync(Engine.Postgres, postgres);
        await using var second = await first.SecondNodeAsync();
        TestDesk[] nodes = [first, second];

        var round1 = await FireTogetherAsync(nodes, 10);
        Assert.Equal(1, round1.Count(o => o.Action == "opened"));
        Assert.Equal(9, round1.Count(o => o.Action == "updated"));
        Assert.Single(round1.Select(o => o.Ticket).Distinct());
        var incident = await first.WithAsync(db => db.MonitoringIncidents.SingleAsync(i => i.Fingerprint == "fp-race", Token));
        Assert.Equal(10, await first.WithAsync(db => db.Messages.CountAsync(m => m.TicketId == incident.TicketId, Token)));

        // Resolved, and firing again after the reopen window: a new outage, so one new incident — not one per request.
        await ProcessAsync(first, Disk(false));
        foreach (var node in nodes)
            node.Clock.Advance(Duration.FromDays(1));
        var round2 = await FireTogetherAsync(nodes, 10);
        Assert.Equal(1, round2.Count(o => o.Action == "opened"));
        Assert.Equal(9, round2.Count(o => o.Action == "updated"));
        var incidents = await first.WithAsync(db => db.MonitoringIncidents.Where(i => i.Fingerprint == "fp-race").OrderBy(i => i.Id).ToListAsync(Token));
        Assert.Equal(2, incidents.Count);
        Assert.NotNull(incidents[0].ResolvedAt);
        Assert.Null(incidents[1].ResolvedAt);
        Assert.NotEqual(incidents[0].TicketId, incidents[1].TicketId);
    }

    /// <summary>The same firing alert, <paramref name="count"/> times at once, spread over the nodes.</summary>
    private static async Task<List<AlertOutcome>> FireTogetherAsync(TestDesk[] nodes, int count)
    {
        using var start = new Barrier(count);
        var requests = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait(Token);
            return await ProcessAsync(nodes[i % nodes.Length], Disk(true));
        }, Token));
        return [.. (await Task.WhenAll(requests)).SelectMany(o => o)];
    }

    private static async Task<IReadOnlyList<AlertOutcome>> ProcessAsync(TestDesk node, Alert alert)
    {
        await using var scope = node.Scope();
        return await scope.ServiceProvider.GetRequiredService<IncidentDesk>().ProcessAsync([alert], Encoding.UTF8.GetBytes("{\"raw\":true}"), Token);
    }
}

using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Monitoring;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Monitoring;

/// <summary>The incident desk and the request linkage on every engine: SQLite and a real PostgreSQL.</summary>
public abstract class MonitoringStorageContract(Engine engine, PostgresServer? postgres) : IAsyncLifetime
{
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync(engine, postgres, new Dictionary<string, string?>
        {
            ["Monitoring:Resources:0:Resource"] = "vps-42",
            ["Monitoring:Resources:0:Subscribers:0"] = "u10002",
            ["Knowledge:AutoAnswer"] = "false",
        });
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public async ValueTask DisposeAsync()
    {
        await desk.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<IReadOnlyList<AlertOutcome>> ProcessAsync(params Alert[] alerts)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IncidentDesk>().ProcessAsync(alerts, Encoding.UTF8.GetBytes("{\"raw\":true}"), Token);
    }

    private static Alert Vps(bool firing) => new(AlertPayloads.Alertmanager, "fp-vps", firing, "NodeDown", "critical", "vps-42 is down", ["vps-42:9100"]);

    [Fact]
    public async Task Incident_OpensUpdatesResolvesAndReopens_AndLinksTheAffectedSubscribersRequest()
    {
        var opened = await ProcessAsync(Vps(true), new Alert(AlertPayloads.Zabbix, "42", true, "Disk", "warning", "db-1: disk", ["db-1"]));
        Assert.Equal(["opened", "opened"], opened.Select(o => o.Action));
        Assert.Equal("updated", (await ProcessAsync(Vps(true)))[0].Action);

        IntakeResult request;
        await using (var scope = desk.Scope())
        {
            request = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(
                Requests.Email("ivanov@example.test", "VPS не отвечает", "Логин u10002. С утра VPS не отвечает, ошибка Connection timed out.", desk.Clock.GetCurrentInstant(), "vps-down@example.test"), Token);
        }

        desk.Clock.Advance(Duration.FromMinutes(5));
        Assert.Equal("resolved", (await ProcessAsync(Vps(false)))[0].Action);
        desk.Clock.Advance(Duration.FromMinutes(5));
        Assert.Equal("reopened", (await ProcessAsync(Vps(true)))[0].Action);

        var incident = await desk.WithAsync(db => db.MonitoringIncidents.Include(i => i.Ticket).SingleAsync(i => i.Fingerprint == "fp-vps", Token));
        Assert.Equal(opened[0].Ticket, incident.Ticket.Number.ToString());
        Assert.Equal(TicketStatus.Open, incident.Ticket.Status);
        Assert.Equal(Channel.Monitoring, incident.Ticket.Channel);
        Assert.Equal(4, incident.Notifications);
        Assert.Null(incident.ResolvedAt);
        Assert.Equal(4, await desk.WithAsync(db => db.Messages.CountAsync(m => m.TicketId == incident.TicketId, Token)));
        Assert.Equal(["u10002"], await desk.WithAsync(db => db.IncidentSubscribers.Where(l => l.TicketId == incident.TicketId).Select(l => l.Subscriber.Login).ToListAsync(Token)));
        Assert.Equal(incident.TicketId, await desk.WithAsync(db => db.Tickets.Where(t => t.Id == request.Ticket!.Value.Value).Select(t => t.RelatedIncidentId).SingleAsync(Token)));
    }
}

public sealed class SqliteMonitoringStorageTests() : MonitoringStorageContract(Engine.Sqlite, null);

public sealed class PostgresMonitoringStorageTests(PostgresServer postgres) : MonitoringStorageContract(Engine.Postgres, postgres);

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Tests.Sla;

public sealed class SlaTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Sla:DutyEngineers:0"] = "duty@operator.test",
        ["Sla:Supervisors:0"] = "chief@operator.test",
    };

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync(settings: Settings);
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Instant Msk(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Moscow"]).ToInstant();

    /// <summary>A request through the real pipeline (for the rules' effect on the SLA).</summary>
    private async Task<Ticket> ReceiveAsync(string subject, string body, Instant received)
    {
        await using var scope = desk.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(Requests.Email("it@romashka.test", subject, body, received), Token);
        return await LoadAsync(result.Ticket!.Value);
    }

    /// <summary>An accepted ticket of a given criticality, stored as the store stage stores it: the SLA tests do not
    /// depend on how the rules classify words.</summary>
    private async Task<Ticket> OpenAsync(Criticality criticality, Instant received)
    {
        var id = await desk.WithAsync(async db =>
        {
            var ticket = new Ticket { Subject = "Сайт не работает", Criticality = criticality, Type = RequestType.Incident, Channel = Channel.Email, ReceivedAt = received };
            await desk.Services.GetRequiredService<TicketClock>().RecordAsync(db, ticket, SlaEvent.Received(received, criticality, RequestType.Incident, "rules"), desk.Clock.GetCurrentInstant(), Token);
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync(Token);
            return ticket.Id;
        });
        return await LoadAsync(new TicketNumber(id));
    }

    private Task<Ticket> LoadAsync(TicketNumber number) =>
        desk.WithAsync(db => db.Tickets.AsNoTracking().Include(t => t.AuditEvents).SingleAsync(t => t.Id == number.Value, Token));

    private Task<List<OutboxMessage>> NotificationsAsync() =>
        desk.WithAsync(db => db.Outbox.Where(o => o.Kind == OutgoingKind.SlaNotification).OrderBy(o => o.Id).ToListAsync(Token));

    [Fact]
    public async Task NormalTicket_WarnsAt75Percent_AndBreachesAtTheDeadline_ExactlyOnce()
    {
        // Normal = 8 working hours from Tuesday 10:00 MSK: 7 h on Tuesday, 1 h on Wednesday → Wednesday 08:00.
        // 75 % = 6 working hours → Tuesday 16:00.
        var ticket = await OpenAsync(Criticality.Normal, Msk(2024, 4, 23, 10));
        Assert.Equal(Msk(2024, 4, 24, 8), ticket.ResponseDeadline);
        Assert.Equal(Msk(2024, 4, 23, 16), ticket.AtRiskAt);
        var watcher = desk.Services.GetRequiredService<SlaWatcher>();

        desk.Clock.Reset(Msk(2024, 4, 23, 16) - Duration.FromTicks(1));
        Assert.Equal(Msk(2024, 4, 23, 16), await watcher.ProcessDueAsync(Token));
        Assert.Equal(SlaState.OnTrack, SlaStates.Evaluate(await LoadAsync(ticket.Number), desk.Clock.GetCurrentInstant()));
        Assert.Empty(await NotificationsAsync());

        desk.Clock.Reset(Msk(2024, 4, 23, 16));
        Assert.Equal(Msk(2024, 4, 24, 8), await watcher.ProcessDueAsync(Token));
        Assert.Equal(SlaState.AtRisk, SlaStates.Evaluate(await LoadAsync(ticket.Number), desk.Clock.GetCurrentInstant()));
        Assert.Equal(["duty@operator.test"], (await NotificationsAsync()).Select(n => n.To));

        desk.Clock.Reset(Msk(2024, 4, 24, 8));
        Assert.Null(await watcher.ProcessDueAsync(Token));
        var breached = await LoadAsync(ticket.Number);
        Assert.Equal(SlaState.Breached, SlaStates.Evaluate(breached, desk.Clock.GetCurrentInstant()));
        Assert.Equal(Msk(2024, 4, 24, 8), breached.SlaBreachedAt);
        Assert.Equal(["duty@operator.test", "duty@operator.test", "chief@operator.test"], (await NotificationsAsync()).Select(n => n.To));
        Assert.Contains(breached.AuditEvents, a => a.Action == "sla.breached");

        await watcher.ProcessDueAsync(Token);
        Assert.Equal(3, (await NotificationsAsync()).Count);
    }

    [Fact]
    public async Task AfterARestart_MissedEventsFireOnce_AndNothingRepeats()
    {
        var ticket = await OpenAsync(Criticality.Urgent, Msk(2024, 4, 23, 10));
        await desk.Services.GetRequiredService<SlaWatcher>().ProcessDueAsync(Token);

        // The desk was down from 10:00 to 15:00; Urgent is due at 14:00. A new process (new services, same database):
        desk.Clock.Reset(Msk(2024, 4, 23, 15));
        await using (var restarted = new ServiceCollection().AddLogging().AddReglament(desk.Configuration, desk.Clock).BuildServiceProvider())
        {
            await ReglamentServices.PrepareAsync(restarted, Token);
            await restarted.GetRequiredService<SlaWatcher>().ProcessDueAsync(Token);
        }
        await desk.Services.GetRequiredService<SlaWatcher>().ProcessDueAsync(Token);

        // Both instants passed while it was down: the breach fires once; a warning after the breach would only be noise.
        var events = (await LoadAsync(ticket.Number)).AuditEvents.Where(a => a.Action.StartsWith("sla.", StringComparison.Ordinal)).Select(a => a.Action).ToList();
        Assert.Equal(["sla.breached"], events);
    }

    [Fact]
    public async Task Refusal_CountsAsTheResponse_SoTheTicketIsMet()
    {
        var ticket = await ReceiveAsync("Почта", "Не приходят письма", Msk(2024, 4, 23, 10));

        Assert.Equal(TicketStatus.Refused, ticket.Status);
        Assert.Equal(SlaState.Met, SlaStates.Evaluate(ticket, Msk(2024, 5, 1, 10)));
    }

    [Fact]
    public async Task ResponseBeforeTheDeadline_IsMet_AfterItBreached()
    {
        var opened = await OpenAsync(Criticality.Urgent, Msk(2024, 4, 23, 10));

        var ticket = await RespondAsync(opened, Msk(2024, 4, 23, 13));
        Assert.Equal(SlaState.Met, SlaStates.Evaluate(ticket, Msk(2024, 4, 30, 10)));
        ticket = await RespondAsync(opened, Msk(2024, 4, 23, 15));
        Assert.Equal(Msk(2024, 4, 23, 13), ticket.FirstRespondedAt);

        var late = await RespondAsync(await OpenAsync(Criticality.Urgent, Msk(2024, 4, 23, 10)), Msk(2024, 4, 23, 14, 1));
        Assert.Equal(SlaState.Breached, SlaStates.Evaluate(late, Msk(2024, 4, 30, 10)));
    }

    private Task<Ticket> RespondAsync(Ticket opened, Instant at) => desk.WithAsync(async db =>
    {
        var ticket = await db.Tickets.SingleAsync(t => t.Id == opened.Id, Token);
        await desk.Services.GetRequiredService<TicketClock>().RecordAsync(db, ticket, SlaEvent.Responded(at, ResponseKind.EngineerReply, "engineer"), at, Token);
        await db.SaveChangesAsync(Token);
        return ticket;
    });

    [Fact]
    public async Task ChangingCriticality_RecomputesTheDeadline_WithTheReasonAudited()
    {
        var opened = await OpenAsync(Criticality.Urgent, Msk(2024, 4, 23, 10));
        await desk.WithAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == opened.Id, Token);
            await desk.Services.GetRequiredService<TicketDeadlines>().ChangeCriticalityAsync(db, ticket, Criticality.Critical, "сайт магазина, клиент теряет заказы", "engineer:ivanova", Msk(2024, 4, 23, 10, 30), Token);
            return await db.SaveChangesAsync(Token);
        });

        var changed = await LoadAsync(opened.Number);
        Assert.Equal(Msk(2024, 4, 23, 12), changed.ResponseDeadline);
        var audit = Assert.Single(changed.AuditEvents, a => a.Action == "criticality.changed");
        Assert.Equal("engineer:ivanova", audit.Actor);
        Assert.Contains("клиент теряет заказы", audit.Details, StringComparison.Ordinal);
        await desk.WithAsync(async db => await Assert.ThrowsAsync<ArgumentException>(() =>
            desk.Services.GetRequiredService<TicketDeadlines>().ChangeCriticalityAsync(db, changed, Criticality.Low, " ", "x", Msk(2024, 4, 23, 11), Token)));
    }

    [Fact]
    public async Task ImportingACalendarYear_RecomputesOpenTickets_AndSurvivesARestart()
    {
        // Friday 2027-04-30 16:00 MSK, Urgent (4 h): 2027 is provisional; 1 May falls on Saturday, so Monday 3 May
        // is a day off in the embedded data → 1 h on Friday, 3 h on Tuesday 4 May → 10:00.
        var opened = await OpenAsync(Criticality.Urgent, Msk(2027, 4, 30, 16));
        Assert.Equal(Msk(2027, 5, 4, 10), opened.ResponseDeadline);
        Assert.True(opened.DeadlineProvisional);

        // A decree that keeps 3 May a working day (and only 1 Jan off, for brevity).
        var decree = ProductionCalendar.Russia.ImportXml("""<?xml version="1.0" encoding="UTF-8"?><calendar year="2027" lang="ru"><days><day d="01.01" t="1"/></days></calendar>""");
        var moved = await desk.WithAsync(db => desk.Services.GetRequiredService<TicketDeadlines>().ImportAsync(db, decree, 2027, "decree.xml", Msk(2027, 4, 30, 16, 30), Token));

        Assert.Equal(1, moved);
        var recomputed = await LoadAsync(opened.Number);
        Assert.Equal(Msk(2027, 5, 3, 10), recomputed.ResponseDeadline);
        Assert.False(recomputed.DeadlineProvisional);
        Assert.Contains(recomputed.AuditEvents, a => a.Action == "deadline.recomputed" && a.Details!.Contains("decree.xml", StringComparison.Ordinal));

        await using var restarted = new ServiceCollection().AddLogging().AddReglament(desk.Configuration, desk.Clock).BuildServiceProvider();
        await ReglamentServices.PrepareAsync(restarted, Token);
        Assert.Equal(Msk(2027, 5, 3, 10), restarted.GetRequiredService<ResponseDeadlines>().Timeline.Add(Msk(2027, 4, 30, 16), Duration.FromHours(4)));
    }
}

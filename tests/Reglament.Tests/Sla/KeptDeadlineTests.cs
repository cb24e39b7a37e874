using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Sla;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Tests.Sla;

/// <summary>The report's kept deadlines are what the clock reads from the events: after every path that changes a
/// ticket's clock (new events, a criticality change, an override, a reopen, a calendar import) and after the
/// start-up that keeps them for tickets written without the clock.</summary>
public sealed class KeptDeadlineTests : IAsyncLifetime
{
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync() => desk = await TestDesk.CreateAsync();

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Instant Msk(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Moscow"]).ToInstant();

    private TicketClock Clock => desk.Services.GetRequiredService<TicketClock>();

    private Task<long> OpenAsync(Criticality criticality, Instant received, RequestType type = RequestType.Incident, params SlaEvent[] later) => desk.WithAsync(async db =>
    {
        var ticket = new Ticket { Subject = "s", Criticality = criticality, Type = type, Channel = Channel.Email, ReceivedAt = received, Assignee = "boris" };
        await Clock.RecordAsync(db, ticket, SlaEvent.Received(received, criticality, type, "rules"), received, Token);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(Token);
        foreach (var e in later)
        {
            // One save per event, as the desk records them one by one.
            await Clock.RecordAsync(db, ticket, e, e.At, Token);
            await db.SaveChangesAsync(Token);
        }
        return ticket.Id;
    });

    private Task<int> RecordAsync(long id, SlaEvent e) => desk.WithAsync(async db =>
    {
        var ticket = await db.Tickets.SingleAsync(t => t.Id == id, Token);
        await Clock.RecordAsync(db, ticket, e, e.At, Token);
        return await db.SaveChangesAsync(Token);
    });

    /// <summary>Every ticket's kept rows against <see cref="SlaClock.Read"/> of its stored events, field by field.</summary>
    private async Task<Dictionary<long, List<KeptDeadline>>> AssertKeptAsAsync(Instant now)
    {
        var deadlines = desk.Services.GetRequiredService<ResponseDeadlines>();
        return await desk.WithAsync(async db =>
        {
            var tickets = await db.Tickets.AsNoTracking().Include(t => t.SlaEvents).Include(t => t.KeptDeadlines).AsSplitQuery().ToListAsync(Token);
            Assert.NotEmpty(tickets);
            foreach (var ticket in tickets)
            {
                var cycles = SlaClock.Read(ticket.SlaEvents, Clock.Rules, deadlines.Timeline, now).Cycles;
                var kept = ticket.KeptDeadlines.OrderBy(k => k.Cycle).ToList();
                Assert.Equal(cycles.Count, kept.Count);
                for (var i = 0; i < cycles.Count; i++)
                {
                    var (c, k) = (cycles[i], kept[i]);
                    Assert.Equal((i, c.Start, c.Criticality, c.Due, c.AtRiskAt, c.Response?.At, c.Response?.Kind, c.Response?.Actor),
                        (k.Cycle, k.Start, k.Criticality, k.Due, k.AtRiskAt, k.RespondedAt, k.ResponseKind, k.Responder));
                    Assert.Equal(c.Response is null ? null : c.Met, k.Met);
                    Assert.Equal(c.ResponseTime, k.ResponseTicks is { } ticks ? Duration.FromTicks(ticks) : null);
                    var local = c.Start.InZone(deadlines.Timeline.Schedule.Zone);
                    Assert.Equal(local.Year * 100 + local.Month, k.Month);
                    Assert.Equal(Clock.Basis, k.Basis);
                }
            }
            return tickets.ToDictionary(t => t.Id, t => t.KeptDeadlines.OrderBy(k => k.Cycle).ToList());
        });
    }

    [Fact]
    public async Task KeptDeadlines_AreTheClocksReading_AfterEveryKindOfChange_AndACalendarImport()
    {
        // Urgent, Friday 2027-04-30 16:00, unanswered: its deadline runs over Monday 3 May, a day off until the decree.
        var overMay = await OpenAsync(Criticality.Urgent, Msk(2027, 4, 30, 16));
        // Low (24 h), Friday 10:00, answered Wednesday 5 May 16:00 — late either way, but 26 working hours before the
        // decree and 36 after it — then reopened on Thursday: the earlier deadline moves, the current one does not.
        var answeredOverMay = await OpenAsync(Criticality.Low, Msk(2027, 4, 30, 10), RequestType.Incident,
            SlaEvent.Responded(Msk(2027, 5, 5, 16), ResponseKind.EngineerReply, "anna"), SlaEvent.Reopened(Msk(2027, 5, 6, 10), "it@romashka.test"));
        // Normal with a pause for information, then made Critical by an engineer, then answered.
        var changed = await OpenAsync(Criticality.Normal, Msk(2027, 4, 20, 9), RequestType.Incident,
            SlaEvent.InformationRequested(Msk(2027, 4, 20, 10), "rules"), SlaEvent.InformationReceived(Msk(2027, 4, 20, 14), "it@romashka.test"));
        await desk.WithAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == changed, Token);
            await desk.Services.GetRequiredService<TicketDeadlines>().ChangeCriticalityAsync(db, ticket, Criticality.Critical, "магазин стоит", "anna", Msk(2027, 4, 20, 15), Token);
            return await db.SaveChangesAsync(Token);
        });
        await RecordAsync(changed, SlaEvent.Responded(Msk(2027, 4, 20, 16, 30), ResponseKind.EngineerReply, "anna"));
        // A question answered from the knowledge base, reopened, then the automatic answer voided by an engineer.
        var voided = await OpenAsync(Criticality.Normal, Msk(2027, 4, 21, 10), RequestType.Question,
            SlaEvent.Responded(Msk(2027, 4, 21, 10), ResponseKind.KnowledgeBaseAnswer, "knowledge-base"),
            SlaEvent.Reopened(Msk(2027, 4, 21, 12), "it@romashka.test"),
            SlaEvent.DecisionOverridden(Msk(2027, 4, 21, 13), DecisionOutcome.Accepted, "anna"));
        // Closed in 2026, before the year the import touches.
        await OpenAsync(Criticality.Critical, Msk(2026, 11, 2, 10), RequestType.Incident, SlaEvent.Responded(Msk(2026, 11, 2, 11), ResponseKind.EngineerReply, "anna"));

        var before = await AssertKeptAsAsync(Msk(2027, 5, 7, 12));
        Assert.Equal(2, before[answeredOverMay].Count);
        Assert.Equal(Criticality.Critical, Assert.Single(before[changed]).Criticality);
        Assert.True(before[voided][0].KnowledgeAnswered && before[voided][0].ReopenedAfterKnowledgeAnswer);

        // A decree that keeps 3 May a working day.
        var decree = ProductionCalendar.Russia.ImportXml("""<?xml version="1.0" encoding="UTF-8"?><calendar year="2027" lang="ru"><days><day d="01.01" t="1"/></days></calendar>""");
        await desk.WithAsync(db => desk.Services.GetRequiredService<TicketDeadlines>().ImportAsync(db, decree, 2027, "decree.xml", Msk(2027, 5, 7, 12), Token));

        var after = await AssertKeptAsAsync(Msk(2027, 5, 7, 12));
        Assert.Equal(Duration.FromHours(26), Duration.FromTicks(before[answeredOverMay][0].ResponseTicks!.Value));
        Assert.Equal(Duration.FromHours(36), Duration.FromTicks(after[answeredOverMay][0].ResponseTicks!.Value));
        Assert.NotEqual(before[overMay][0].Due, after[overMay][0].Due);
    }

    [Fact]
    public async Task TicketsWrittenWithoutTheClock_AreKeptAtStart_AndRowsOfOtherRulesReadAgain()
    {
        await desk.WithAsync(async db =>
        {
            var ticket = new Ticket { Subject = "s", Criticality = Criticality.Normal, Type = RequestType.Incident, ReceivedAt = Msk(2026, 11, 2, 10) };
            ticket.SlaEvents.Add(SlaEvent.Received(ticket.ReceivedAt, Criticality.Normal, RequestType.Incident, "migration"));
            ticket.SlaEvents.Add(SlaEvent.Responded(Msk(2026, 11, 2, 12), ResponseKind.EngineerReply, "anna"));
            db.Tickets.Add(ticket);
            return await db.SaveChangesAsync(Token);
        });
        Assert.Equal(0, await desk.WithAsync(db => db.KeptDeadlines.CountAsync(Token)));

        await ReglamentServices.PrepareAsync(desk.Services, Token);
        await AssertKeptAsAsync(Msk(2026, 11, 3, 10));

        // Rows kept with other rules (a changed target) are read again; rows of these rules are left alone.
        await desk.WithAsync(db => db.KeptDeadlines.ExecuteUpdateAsync(s => s.SetProperty(k => k.Basis, "0000000000000000").SetProperty(k => k.ResponseTicks, 1), Token));
        Assert.Equal(1, await desk.WithAsync(db => desk.Services.GetRequiredService<TicketDeadlines>().KeepAllAsync(db, Msk(2026, 11, 3, 10), Token)));
        await AssertKeptAsAsync(Msk(2026, 11, 3, 10));
        Assert.Equal(0, await desk.WithAsync(db => desk.Services.GetRequiredService<TicketDeadlines>().KeepAllAsync(db, Msk(2026, 11, 3, 10), Token)));
    }
}

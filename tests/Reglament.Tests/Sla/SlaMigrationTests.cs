using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Sla;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Sla;

/// <summary>Tickets stored before the clock model get the events their rows imply when the SlaClock migration runs,
/// on both engines, and the watcher's start re-reads the open ones: each legacy case of the five bugs reads right.</summary>
public abstract class SlaMigrationContract(Engine engine, PostgresServer? postgres) : IAsyncLifetime
{
    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];
    private ServiceProvider services = null!;
    private string? directory;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Instant Msk(int day, int hour, int minute = 0) => new LocalDateTime(2024, 4, day, hour, minute).InZoneStrictly(Moscow).ToInstant();

    public ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>();
        if (engine == Engine.Postgres)
            settings["ConnectionStrings:Postgres"] = postgres!.NewDatabase();
        else
            settings["Storage:DataDirectory"] = directory = Directory.CreateTempSubdirectory("reglament-migration-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection().AddLogging().AddReglament(configuration, new FakeClock(Msk(25, 12))).BuildServiceProvider();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (directory is not null)
            Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<T> WithAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    /// <summary>A ticket as the old code stored it: its cached deadline written directly, no clock events.</summary>
    private static Ticket Legacy(ReglamentDb db, Criticality criticality, RequestType type, Instant? due, Instant? responded, params Decision[] decisions)
    {
        var ticket = new Ticket { Subject = "Сайт", Channel = Channel.Email, Type = type, Criticality = criticality, ReceivedAt = Msk(23, 10) };
        ticket.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = Msk(23, 10), Author = "it@alfa.test", Subject = "Сайт", Body = "…" });
        ticket.Decisions.AddRange(decisions);
        db.Tickets.Add(ticket);
        db.Entry(ticket).Property(t => t.ResponseDeadline).CurrentValue = due;
        db.Entry(ticket).Property(t => t.FirstRespondedAt).CurrentValue = responded;
        return ticket;
    }

    private static Decision Decided(DecisionOutcome outcome, Instant at, string by = "rules") => new() { Outcome = outcome, DecidedAt = at, DecidedBy = by };

    [Fact]
    public async Task LegacyTickets_GetTheirEvents_AndReadRight()
    {
        // The schema as it was before the clock model (the migration before SlaClock, on either engine).
        await WithAsync(async db =>
        {
            await db.Database.MigrateAsync("ReviewBand", Token);
            return true;
        });
        var ids = await WithAsync(async db =>
        {
            // The rows are written through today's model, which has columns added after SlaClock (Messages.NewText): the
            // legacy schema gets them for the insert and loses them again, so the later migrations add them as on a
            // real old database.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Messages\" ADD COLUMN \"NewText\" TEXT", Token);
            // Every save also writes the search index (TicketSearch), which the legacy schema lacks: a plain table of the
            // same shape takes those rows and is dropped again, so the later migrations create the real one.
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"TicketSearch\" (\"TicketId\" bigint NOT NULL PRIMARY KEY, \"Stems\" text NOT NULL)", Token);
            // R8 asked at receipt, the details came on Wednesday 10:00 (the old code set that deadline directly).
            var asked = Legacy(db, Criticality.Normal, RequestType.Incident, Msk(25, 8), null, Decided(DecisionOutcome.NeedsMoreInformation, Msk(23, 10)));
            asked.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = Msk(24, 10), Author = "it@alfa.test", Subject = "Re: Сайт", Body = "502" });
            asked.MoveTo(TicketStatus.Open);
            // Refused at receipt, accepted by an engineer at 10:30; the old code kept the refusal as the response.
            var refused = Legacy(db, Criticality.Normal, RequestType.Incident, Msk(24, 8), Msk(23, 10),
                Decided(DecisionOutcome.Refused, Msk(23, 10)), Decided(DecisionOutcome.Accepted, Msk(23, 10, 30), "a.smirnova"));
            refused.MoveTo(TicketStatus.Open);
            // Answered from the knowledge base, «не помогло» on Wednesday 15:00.
            var answered = Legacy(db, Criticality.Low, RequestType.Question, Msk(26, 10), Msk(23, 10), Decided(DecisionOutcome.AnsweredFromKnowledgeBase, Msk(23, 10)));
            answered.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = Msk(24, 15), Author = "it@alfa.test", Subject = "Re: Сайт", Body = "Не помогло" });
            answered.MoveTo(TicketStatus.Open);
            // Accepted, answered by an engineer at 11:00.
            var replied = Legacy(db, Criticality.Normal, RequestType.Incident, Msk(24, 8), Msk(23, 11), Decided(DecisionOutcome.Accepted, Msk(23, 10)));
            replied.AuditEvents.Add(new AuditEvent { At = Msk(23, 11), Actor = "a.smirnova", Action = "reply.sent", Details = "to it@alfa.test" });
            replied.MoveTo(TicketStatus.Open);
            await db.SaveChangesAsync(Token);
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Messages\" DROP COLUMN \"NewText\"", Token);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE \"TicketSearch\"", Token);
            return new[] { asked.Id, refused.Id, answered.Id, replied.Id };
        });

        await ReglamentServices.PrepareAsync(services, Token);
        var kinds = await WithAsync(db => db.SlaEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Token));
        Assert.Equal([SlaEventKind.Received, SlaEventKind.InformationRequested, SlaEventKind.InformationReceived], kinds.Where(e => e.TicketId == ids[0]).Select(e => e.Kind));
        Assert.Equal([SlaEventKind.Received, SlaEventKind.Responded, SlaEventKind.DecisionOverridden], kinds.Where(e => e.TicketId == ids[1]).Select(e => e.Kind));
        Assert.Equal([SlaEventKind.Received, SlaEventKind.Responded, SlaEventKind.Reopened], kinds.Where(e => e.TicketId == ids[2]).Select(e => e.Kind));
        Assert.Equal([SlaEventKind.Received, SlaEventKind.Responded], kinds.Where(e => e.TicketId == ids[3]).Select(e => e.Kind));
        Assert.Equal(ResponseKind.EngineerReply, kinds.Last(e => e.TicketId == ids[3]).Response);

        // What the watcher does when it starts: the open tickets' cached deadlines follow their events.
        var now = Msk(25, 12);
        // Every legacy row is rewritten (at least its calendar version and at-risk instant were never cached).
        Assert.Equal(4, await WithAsync(db => services.GetRequiredService<TicketDeadlines>().RefreshOpenAsync(db, now, Token)));
        Assert.Equal(0, await WithAsync(db => services.GetRequiredService<TicketDeadlines>().RefreshOpenAsync(db, now, Token)));
        var tickets = await WithAsync(db => db.Tickets.AsNoTracking().Include(t => t.SlaEvents).OrderBy(t => t.Id).ToListAsync(Token));
        var clock = services.GetRequiredService<TicketClock>();
        var timeline = services.GetRequiredService<ResponseDeadlines>().Timeline;

        Assert.Equal(Msk(25, 8), tickets[0].ResponseDeadline);
        Assert.Null(tickets[1].FirstRespondedAt);
        Assert.Equal(SlaState.Breached, SlaStates.Evaluate(tickets[1], now));
        Assert.Equal(timeline.Add(Msk(24, 15), Duration.FromHours(24)), tickets[2].ResponseDeadline);
        Assert.Equal(2, clock.Read(tickets[2], now).Cycles.Count);
        Assert.Equal(SlaState.Met, SlaStates.Evaluate(tickets[3], now));
        foreach (var ticket in tickets)
            Assert.Equal(clock.Read(ticket, now).State, SlaStates.Evaluate(ticket, now));
    }
}

public sealed class SqliteSlaMigrationTests() : SlaMigrationContract(Engine.Sqlite, null);

public sealed class PostgresSlaMigrationTests(PostgresServer postgres) : SlaMigrationContract(Engine.Postgres, postgres);

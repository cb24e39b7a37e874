using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;
using Reglament.Web.Api;

namespace Reglament.Tests.Data;

/// <summary>The same storage behaviour on every engine: each test runs on SQLite and on a real PostgreSQL.</summary>
public abstract class StorageContract(Engine engine, PostgresServer? postgres) : IAsyncLifetime
{
    protected TestDesk Desk { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Desk = await TestDesk.CreateAsync(engine, postgres);
        await Desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), Desk.Clock.GetCurrentInstant()));
    }

    public async ValueTask DisposeAsync()
    {
        await Desk.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscriber_RoundTripsWithContactsAndServices()
    {
        var subscriber = await Desk.WithAsync(db => db.Subscribers.Include(s => s.Contacts).SingleAsync(s => s.Login == "u10002", Token));

        Assert.Equal("104524", subscriber.ClientId);
        Assert.Equal(ContractedServices.Vps | ContractedServices.Backup, subscriber.Services);
        Assert.Equal(SubscriberKind.Person, subscriber.Kind);
        Assert.Equal(["ivanov@example.test", "shared@example.test"], subscriber.Contacts.Select(c => c.Email).Order());
    }

    [Fact]
    public async Task Ticket_RoundTripsInstantsEvidenceAndStatus()
    {
        var received = Instant.FromUtc(2024, 4, 26, 13, 30, 15);
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, received, "rt@romashka.test"));

        var ticket = await Desk.WithAsync(db => db.Tickets.Include(t => t.Decisions).Include(t => t.Messages).ThenInclude(m => m.Source).SingleAsync(t => t.Id == result.Ticket!.Value.Value, Token));
        Assert.Equal(received, ticket.ReceivedAt);
        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.Equal(Criticality.Urgent, ticket.Criticality);
        // Friday 16:30:15 MSK + 4 working hours: Saturday 2024-04-27 is a working day (transferred), so 10:30:15 MSK.
        Assert.Equal(Instant.FromUtc(2024, 4, 27, 7, 30, 15), ticket.ResponseDeadline);
        Assert.Equal(result.Evidence, ticket.Decisions.Single().Evidence);
        Assert.Equal("rt@romashka.test", ticket.Messages.Single().InternetMessageId);
        Assert.NotEmpty(ticket.Messages.Single().Source!.Content);
    }

    [Fact]
    public async Task RawSource_LoadsOnlyWhenAskedFor_AndKeepsEveryByte()
    {
        var request = Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, Instant.FromUtc(2024, 4, 26, 13, 30, 15), "raw@romashka.test");
        var result = await ProcessAsync(request);
        var id = result.Ticket!.Value.Value;

        var shown = await Desk.WithAsync(db => db.Tickets.AsNoTracking().Include(t => t.Messages).SingleAsync(t => t.Id == id, Token));
        Assert.Null(shown.Messages.Single().Source);
        var kept = await Desk.WithAsync(db => db.Messages.AsNoTracking().Include(m => m.Source).SingleAsync(m => m.TicketId == id, Token));
        Assert.Equal(request.RawSource, kept.Source!.Content);
    }

    [Fact]
    public async Task KnowledgeArticle_RoundTripsDateAndTags()
    {
        var article = KnowledgeBaseFiles.Parse("""
            ---
            id: "000099"
            title: "Тест"
            category: "Почта"
            tags: [почта, e-mail]
            updated: 2026-09-01
            ---
            # Тест
            Текст.
            """);
        await using (var scope = Desk.Scope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync([article], "test", Token));

        var stored = await Desk.WithAsync(db => db.KnowledgeArticles.SingleAsync(a => a.Id == "000099", Token));
        Assert.Equal(new LocalDate(2026, 9, 1), stored.Updated);
        Assert.Equal(["почта", "e-mail"], stored.Tags);
        Assert.StartsWith("# Тест", stored.Markdown, StringComparison.Ordinal);
        var revision = await Desk.WithAsync(db => db.ArticleRevisions.SingleAsync(r => r.ArticleId == "000099", Token));
        Assert.Equal(["почта", "e-mail"], revision.Tags);
    }

    [Fact]
    public async Task MessageId_IsUniqueInTheDatabase()
    {
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", "Логин u10001", TestDesk.Tuesday10Msk, "dup@romashka.test"));

        await Assert.ThrowsAsync<DbUpdateException>(() => Desk.WithAsync(async db =>
        {
            db.Messages.Add(new Message { TicketId = result.Ticket!.Value.Value, Author = "x@y.test", Subject = "s", Body = "b", InternetMessageId = "dup@romashka.test" });
            return await db.SaveChangesAsync(Token);
        }));
    }

    [Fact]
    public async Task TicketList_FiltersSortsByDeadlineAndPages()
    {
        await ProcessAsync(Requests.Email("ivanov@example.test", "Вопрос", "Логин u10002. Какой тариф?", TestDesk.Tuesday10Msk));
        await ProcessAsync(Requests.Email("it@romashka.test", "Всё упало", "Логин u10001. С 9:00 ничего не работает: сайт romashka.test отдаёт ошибку 500, в базе потеря данных за сутки. Ничего не меняли.", TestDesk.Tuesday10Msk));
        await ProcessAsync(Requests.Email("it@romashka.test", "Без логина", "ошибка", TestDesk.Tuesday10Msk));

        var all = await Desk.WithAsync(db => TicketsApi.ListAsync(db, Desk.Clock, null, null, null, null, null, 1, 2, cancellationToken: Token));
        var page = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<TicketPage>>(all.Result).Value!;
        Assert.Equal(3, page.Total);
        Assert.Equal([Criticality.Critical, Criticality.Normal], page.Items.Select(t => t.Criticality));

        var refused = await Desk.WithAsync(db => TicketsApi.ListAsync(db, Desk.Clock, TicketStatus.Refused, null, null, null, null, 1, 50, cancellationToken: Token));
        Assert.Single(Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<TicketPage>>(refused.Result).Value!.Items);

        var bySubscriber = await Desk.WithAsync(db => TicketsApi.ListAsync(db, Desk.Clock, null, null, null, "104524", null, 1, 50, cancellationToken: Token));
        Assert.Equal("u10002", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<TicketPage>>(bySubscriber.Result).Value!.Items.Single().Subscriber);
    }

    [Fact]
    public async Task ReviewBand_ProposalRoundTrips_FiltersTheList_AndIsReviewedOnce()
    {
        await using (var scope = Desk.Scope())
            await ProposedRefusals.Pipeline(scope.ServiceProvider, new ProposingStage(RefusalReasons.RudeForm, 0.55))
                .ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, TestDesk.Tuesday10Msk), Token);
        await ProcessAsync(Requests.Email("ivanov@example.test", "Вопрос", "Логин u10002. Какой тариф?", TestDesk.Tuesday10Msk));

        var ticket = await Desk.WithAsync(db => db.Tickets.Include(t => t.Decisions).SingleAsync(t => t.Review == ReviewState.Pending, Token));
        var decision = ticket.Decisions.Single();
        Assert.Equal((DecisionOutcome.Accepted, RefusalReasons.None, RefusalReasons.RudeForm, 0.55), (decision.Outcome, decision.Reasons, decision.ProposedReasons, decision.RefusalConfidence));
        var pending = await Desk.WithAsync(db => TicketsApi.ListAsync(db, Desk.Clock, null, null, null, null, ReviewState.Pending, 1, 50, cancellationToken: Token));
        Assert.Equal(ticket.Number.ToString(), Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<TicketPage>>(pending.Result).Value!.Items.Single().Number);

        async Task<Reglament.Policy.ReviewResult> ConfirmAsync()
        {
            await using var scope = Desk.Scope();
            return await scope.ServiceProvider.GetRequiredService<Reglament.Policy.RefusalReview>().ReviewAsync(ticket.Number, Reglament.Policy.ReviewAction.Confirm, "engineer", null, Token);
        }
        Assert.True((await ConfirmAsync()).Done);
        Assert.False((await ConfirmAsync()).Done);
        var after = await Desk.WithAsync(db => db.Tickets.Include(t => t.Decisions).SingleAsync(t => t.Id == ticket.Id, Token));
        Assert.Equal((ReviewState.Confirmed, TicketStatus.Refused, 2), (after.Review, after.Status, after.Decisions.Count));
    }

    [Fact]
    public async Task Quarantine_KeepsTheRawMessage()
    {
        var raw = "From: nobody@nowhere.test\r\nSubject: ?\r\n\r\n\u0000\u00ff"u8.ToArray();
        var result = await ProcessAsync(Requests.Email("nobody@nowhere.test", "?", "", TestDesk.Tuesday10Msk) with { RawSource = raw });

        var item = await Desk.WithAsync(db => db.Quarantine.SingleAsync(q => q.Id == result.QuarantineId, Token));
        Assert.Equal(raw, item.RawSource);
        Assert.Equal(QuarantineReason.UnknownSender, item.Reason);
    }

    [Fact]
    public async Task AttachmentsAndRawSources_KeepEveryByte_SameContentStoredOnce_InRepliesToo()
    {
        // Larger than SQLite's page cache and the 1 MB pieces it is written in (Data/LargeColumns), not a whole number of either.
        var dump = new byte[(3 * 1024 * 1024) + 17];
        for (var i = 0; i < dump.Length; i++)
            dump[i] = (byte)((i * 31) ^ (i >> 11));
        var log = "ошибка 502"u8.ToArray();
        var raw = Enumerable.Repeat("From: it@romashka.test\r\n"u8.ToArray(), 200_000).SelectMany(b => b).ToArray();
        var created = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, TestDesk.Tuesday10Msk, "files@romashka.test") with
        {
            Attachments = [new InboundAttachment("dump.bin", "application/octet-stream", dump), new InboundAttachment("log.txt", "text/plain", log), new InboundAttachment("copy.bin", "application/octet-stream", dump)],
            RawSource = raw,
        });
        var reply = await ProcessAsync(Requests.Email("it@romashka.test", "Re: Сайт не работает", "Ещё лог", TestDesk.Tuesday10Msk, "files-2@romashka.test", inReplyTo: "files@romashka.test") with
        {
            Attachments = [new InboundAttachment("log-2.txt", "text/plain", log)],
        });

        Assert.Equal(IntakeOutcome.TicketCreated, created.Outcome);
        Assert.Equal(created.Ticket, reply.Ticket);
        var messages = await Desk.WithAsync(db => db.Messages.AsNoTracking().Include(m => m.Source).Include(m => m.Attachments)
            .Where(m => m.TicketId == created.Ticket!.Value.Value).OrderBy(m => m.Id).ToListAsync(Token));
        Assert.Equal(2, messages.Count);
        Assert.Equal(raw, messages[0].Source!.Content);
        Assert.NotEmpty(messages[1].Source!.Content);
        Assert.Equal([("dump.bin", dump.LongLength), ("log.txt", log.LongLength), ("copy.bin", dump.LongLength)], messages[0].Attachments.OrderBy(a => a.Id).Select(a => (a.FileName, a.Length)));
        Assert.Equal(messages[0].Attachments[0].Sha256, messages[0].Attachments[2].Sha256);
        var blobs = await Desk.WithAsync(db => db.Blobs.AsNoTracking().ToDictionaryAsync(b => b.Sha256, b => b.Content, Token));
        Assert.Equal(2, blobs.Count);
        Assert.Equal(dump, blobs[messages[0].Attachments[0].Sha256]);
        Assert.Equal(log, blobs[messages[1].Attachments.Single().Sha256]);
    }

    [Fact]
    public async Task MailAttachment_DecodedFromTheRawMessageWhenStored_KeepsEveryByte()
    {
        var dump = new byte[(2 * 1024 * 1024) + 5];
        for (var i = 0; i < dump.Length; i++)
            dump[i] = (byte)((i * 7) ^ (i >> 9));
        var mail = new MimeKit.BodyBuilder { TextBody = Requests.CompleteIncident };
        mail.Attachments.Add("dump.bin", dump);
        var message = new MimeKit.MimeMessage([MimeKit.MailboxAddress.Parse("it@romashka.test")], [MimeKit.MailboxAddress.Parse("support@example.test")], "Сайт не работает", mail.ToMessageBody())
        {
            MessageId = "decoded@romashka.test",
        };
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, Token);
        Assert.True(MailParser.TryParse(raw.ToArray(), TestDesk.Tuesday10Msk, out var request, out _));

        var result = await ProcessAsync(request);

        Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        var stored = await Desk.WithAsync(db => db.Messages.AsNoTracking().Include(m => m.Attachments).SingleAsync(m => m.TicketId == result.Ticket!.Value.Value, Token));
        var attachment = stored.Attachments.Single();
        Assert.Equal(("dump.bin", dump.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(dump))), (attachment.FileName, attachment.Length, attachment.Sha256));
        Assert.Equal(dump, await Desk.WithAsync(db => db.Blobs.Where(b => b.Sha256 == attachment.Sha256).Select(b => b.Content).SingleAsync(Token)));
    }

    [Fact]
    public async Task Search_FindsEveryInflection_InSubjectsAndMessages_WithFilters_AndKeepsUpWithNewMessages()
    {
        var (site, siteAgain, mail) = await Desk.WithAsync(async db =>
        {
            var subscriber = await db.Subscribers.FirstAsync(Token);
            Ticket Make(string subject, string text, Criticality criticality)
            {
                var ticket = new Ticket { Subject = subject, SubscriberId = subscriber.Id, Criticality = criticality, ReceivedAt = Desk.Clock.GetCurrentInstant() };
                ticket.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = ticket.ReceivedAt, Author = "it@romashka.test", Subject = subject, Body = text });
                db.Tickets.Add(ticket);
                return ticket;
            }
            var a = Make("Не открывается", "Главная страница сайта отдаёт 502", Criticality.Urgent);
            var b = Make("Вопрос", "Что случилось с сайтом после обновления?", Criticality.Normal);
            var c = Make("Почта", "Письма не приходят на ящик", Criticality.Normal);
            await db.SaveChangesAsync(Token);
            return (a.Id, b.Id, c.Id);
        });
        Task<List<long>> FindAsync(TicketFilter filter) =>
            Desk.WithAsync(db => filter.Apply(db, db.Tickets, Desk.Clock.GetCurrentInstant()).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(Token));

        Assert.Equal([site, siteAgain], await FindAsync(new() { Text = "сайт" }));
        Assert.Equal([siteAgain], await FindAsync(new() { Text = "Сайты", Criticality = Criticality.Normal }));
        Assert.Equal([mail], await FindAsync(new() { Text = "письмо ящика" }));
        Assert.Equal([mail], await FindAsync(new() { Text = "почтой" }));
        // Every word must occur: the site tickets say nothing about mail.
        Assert.Empty(await FindAsync(new() { Text = "сайт почта" }));
        Assert.Empty(await FindAsync(new() { Text = "сайт", Assignee = "engineer" }));

        await Desk.WithAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == mail, Token);
            ticket.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = Desk.Clock.GetCurrentInstant(), Author = "engineer", Subject = ticket.Subject, Body = "Перезапустили Dovecot на mx2" });
            return await db.SaveChangesAsync(Token);
        });
        Assert.Equal([mail], await FindAsync(new() { Text = "dovecot" }));
        Assert.Equal([mail], await FindAsync(new() { Text = "письмами" }));
        var snippets = await Desk.WithAsync(db => TicketSearch.SnippetsAsync(db, "сайт", [site, siteAgain], Token));
        Assert.Equal("сайта", snippets[site].Match);
        Assert.Equal("сайтом", snippets[siteAgain].Match);

        // What an engineer wrote is found too (an engineer's reply lives in the outbox); what the desk sends by itself is not.
        await Desk.WithAsync(db =>
        {
            Reglament.Mail.OutboxMessage Outgoing(long ticket, Reglament.Mail.OutgoingKind kind, string body) => new()
            {
                TicketId = ticket, Kind = kind, To = "it@romashka.test", Subject = "Re", Body = body,
                InternetMessageId = $"{kind}-{ticket}@desk.test", CreatedAt = Desk.Clock.GetCurrentInstant(),
            };
            db.Outbox.Add(Outgoing(site, Reglament.Mail.OutgoingKind.EngineerReply, "Очистили кэш OPcache, проверьте, пожалуйста"));
            db.Outbox.Add(Outgoing(siteAgain, Reglament.Mail.OutgoingKind.Acknowledgement, "Ваша заявка принята, кэш не трогаем"));
            return db.SaveChangesAsync(Token);
        });
        Assert.Equal([site], await FindAsync(new() { Text = "кэшем" }));
        Assert.Equal([site], await FindAsync(new() { Text = "opcache" }));
        await Desk.WithAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"TicketSearch\"", Token));
        Assert.Equal(3, await Desk.WithAsync(db => TicketSearch.BackfillAsync(db, Token)));
        Assert.Equal([site], await FindAsync(new() { Text = "opcache" }));
    }

    /// <summary>A broad search (more hits than the cap) is counted only up to the cap and paged by walking the queue
    /// without the words and asking the index about each chunk of tickets; a narrow one is counted exactly and paged over the set of hits. Both must give the same
    /// tickets in the same order on every page — the dated part by deadline, then the undated part newest first — or an
    /// engineer would see a different queue depending on how common the word is. A cap of 3 stands in for 5,000.</summary>
    [Fact]
    public async Task QueueSearch_BroadWordCountedUpToTheCap_PagedInTheSameOrderAsANarrowOne()
    {
        var start = Desk.Clock.GetCurrentInstant();
        await Desk.WithAsync(async db =>
        {
            var subscriber = await db.Subscribers.FirstAsync(Token);
            // Deadlines out of the ids' order, two tickets on one deadline (the id breaks the tie), three without one.
            int?[] hours = [5, null, 1, 3, null, 1, 8, null, 2];
            foreach (var (hour, i) in hours.Select((h, i) => (h, i)))
            {
                var criticality = i % 2 == 0 ? Criticality.Normal : Criticality.Urgent;
                var ticket = new Ticket { Subject = $"Сайт {i}", SubscriberId = subscriber.Id, Criticality = criticality, ReceivedAt = start };
                ticket.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = start, Author = "it@romashka.test", Subject = ticket.Subject, Body = "Сайтом не пользоваться" });
                db.Tickets.Add(ticket);
                db.Entry(ticket).Property(t => t.ResponseDeadline).CurrentValue = hour is { } h ? start + Duration.FromHours(h) : null;
            }
            var other = new Ticket { Subject = "Почта", SubscriberId = subscriber.Id, ReceivedAt = start };
            other.Messages.Add(new Message { Direction = MessageDirection.Inbound, At = start, Author = "it@romashka.test", Subject = "Почта", Body = "Письма не доходят" });
            db.Tickets.Add(other);
            return await db.SaveChangesAsync(Token);
        });
        var sites = await Desk.WithAsync(db => db.Tickets.Where(t => t.Subject.StartsWith("Сайт"))
            .Select(t => new { t.Id, t.ResponseDeadline, t.Criticality, t.Subject }).ToListAsync(Token));
        // The queue's documented order, worked out here rather than by the code under test.
        var expected = sites.Where(t => t.ResponseDeadline != null).OrderBy(t => t.ResponseDeadline).ThenBy(t => t.Id)
            .Concat(sites.Where(t => t.ResponseDeadline == null).OrderByDescending(t => t.Id)).Select(t => t.Id).ToList();
        Assert.Equal(9, expected.Count);

        async Task<(QueueOrder.Counted Counted, List<long> Ids)> QueueAsync(TicketFilter filter, int cap, int skip, int take) => await Desk.WithAsync(async db =>
        {
            var counted = await QueueOrder.CountAsync(db, filter, start, Token, cap);
            return (counted, await QueueOrder.PageAsync(db, counted, skip, take, Token));
        });
        var broad = await QueueAsync(new TicketFilter { Text = "сайты" }, 3, 0, 2);
        Assert.Equal((3, true, (int?)null), (broad.Counted.Total, broad.Counted.MoreThanTotal, broad.Counted.Dated));
        var narrow = await QueueAsync(new TicketFilter { Text = "сайты" }, 100, 0, 2);
        Assert.Equal((9, false, (int?)6), (narrow.Counted.Total, narrow.Counted.MoreThanTotal, narrow.Counted.Dated));
        // Every page, including the one across the two parts, the ones past the dated part and one past the end.
        for (var skip = 0; skip <= 10; skip++)
        {
            Assert.Equal(expected.Skip(skip).Take(2), (await QueueAsync(new TicketFilter { Text = "сайты" }, 3, skip, 2)).Ids);
            Assert.Equal(expected.Skip(skip).Take(2), (await QueueAsync(new TicketFilter { Text = "сайты" }, 100, skip, 2)).Ids);
        }
        Assert.Equal(expected, (await QueueAsync(new TicketFilter { Text = "сайт" }, 3, 0, 50)).Ids);

        // A filter that leaves no more than the cap (4 urgent of 9 hits): the broad word's count is exact after all.
        var urgent = await QueueAsync(new TicketFilter { Text = "сайт", Criticality = Criticality.Urgent }, 4, 0, 50);
        Assert.Equal((4, false), (urgent.Counted.Total, urgent.Counted.MoreThanTotal));
        var urgentIds = sites.Where(t => t.Criticality == Criticality.Urgent).Select(t => t.Id).ToHashSet();
        Assert.Equal(expected.Where(urgentIds.Contains), urgent.Ids);
        // Every word must occur, whichever way the hits are joined (a cap of 0 makes any word broad).
        var three = await QueueAsync(new TicketFilter { Text = "сайт 3" }, 0, 0, 50);
        Assert.Equal((0, true), (three.Counted.Total, three.Counted.MoreThanTotal));
        Assert.Equal(sites.Where(t => t.Subject == "Сайт 3").Select(t => t.Id), three.Ids);
        Assert.Empty((await QueueAsync(new TicketFilter { Text = "сайт почта" }, 0, 0, 50)).Ids);
    }

    /// <summary>Tickets stored before the index existed (their rows missing) are indexed when the storage is prepared.</summary>
    [Fact]
    public async Task SearchBackfill_IndexesTicketsThatHaveNoRow()
    {
        var result = await ProcessAsync(Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, TestDesk.Tuesday10Msk, "backfill@romashka.test"));
        var id = result.Ticket!.Value.Value;
        Task<List<long>> FindAsync() => Desk.WithAsync(db => new TicketFilter { Text = "ошибкой" }.Apply(db, db.Tickets, TestDesk.Tuesday10Msk).Select(t => t.Id).ToListAsync(Token));
        Assert.Equal([id], await FindAsync());

        await Desk.WithAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"TicketSearch\"", Token));
        Assert.Empty(await FindAsync());
        Assert.Equal(1, await Desk.WithAsync(db => TicketSearch.BackfillAsync(db, Token)));
        Assert.Equal([id], await FindAsync());
        Assert.Equal(0, await Desk.WithAsync(db => TicketSearch.BackfillAsync(db, Token)));
    }

    [Fact]
    public async Task SlaReport_CountsTheKeptDeadlines_AsTheClockReadThem()
    {
        static Instant Msk(int day, int hour, int minute = 0) =>
            new LocalDateTime(2026, 11, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Moscow"]).ToInstant();
        var clock = Desk.Services.GetRequiredService<Reglament.Sla.TicketClock>();
        async Task OpenAsync(Criticality criticality, Instant received, Instant? answered)
        {
            await Desk.WithAsync(async db =>
            {
                var ticket = new Ticket { Subject = "s", Criticality = criticality, Type = RequestType.Incident, ReceivedAt = received, Assignee = "boris" };
                var events = new List<Reglament.Sla.SlaEvent> { Reglament.Sla.SlaEvent.Received(received, criticality, RequestType.Incident, "rules") };
                if (answered is { } at)
                    events.Add(Reglament.Sla.SlaEvent.Responded(at, Reglament.Sla.ResponseKind.EngineerReply, "anna"));
                await clock.RecordAsync(db, ticket, events, received, Token);
                db.Tickets.Add(ticket);
                return await db.SaveChangesAsync(Token);
            });
        }
        // Critical (2 h) Monday 2 November 10:00: answered at 11:00 (60 min, met) and at 13:00 (180 min, breached);
        // Normal (8 h) on the 30th at 16:00, unanswered and not yet due at the report's instant: running.
        await OpenAsync(Criticality.Critical, Msk(2, 10), Msk(2, 11));
        await OpenAsync(Criticality.Critical, Msk(2, 10), Msk(2, 13));
        await OpenAsync(Criticality.Normal, Msk(30, 16), null);

        var report = await Desk.WithAsync(db => Desk.Services.GetRequiredService<Reglament.Sla.SlaReport>()
            .BuildAsync(db, new LocalDate(2026, 11, 1), new LocalDate(2026, 12, 1), Msk(30, 16, 30), Token));

        Assert.Equal(3, report.Tickets);
        Assert.Equal(
        [
            new Reglament.Sla.SlaShare("2026-11", "Critical", 2, 1, 1, 0, Duration.FromMinutes(60), Duration.FromMinutes(180)),
            new Reglament.Sla.SlaShare("2026-11", "Normal", 1, 0, 0, 1, null, null),
        ], report.ByCriticalityMonth);
        Assert.Equal([("anna", 2), ("boris", 1)], report.ByEngineer.Select(e => (e.Key, e.Deadlines)));
        var breach = Assert.Single(report.Breaches);
        Assert.Equal((Msk(2, 12), Duration.FromMinutes(60)), (breach.Due, breach.Over));
        Assert.Equal(3, report.LoadByHour.Sum(h => h.Received));
    }

    private async Task<IntakeResult> ProcessAsync(InboundRequest request)
    {
        await using var scope = Desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, Token);
    }
}

public sealed class SqliteStorageTests() : StorageContract(Engine.Sqlite, null);

public sealed class PostgresStorageTests(PostgresServer postgres) : StorageContract(Engine.Postgres, postgres);

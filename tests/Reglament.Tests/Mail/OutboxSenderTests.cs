using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>The outbox delivered through a real Postfix, read back from the recipient's Dovecot mailbox.</summary>
public sealed class OutboxSenderTests(MailServer server, PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(int? smtpPort = null) => new()
    {
        ["Mail:SupportAddress"] = "support@example.test",
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = (smtpPort ?? server.SmtpPort).ToString(CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
    };

    private static OutboxSender Sender(TestDesk desk) => ActivatorUtilities.CreateInstance<OutboxSender>(desk.Services);

    [Fact]
    public async Task Acknowledgement_ArrivesWithOwnMessageId_Threading_TicketTag_AndAutoSubmitted()
    {
        await using var desk = await TestDesk.CreateAsync(settings: Settings());
        var client = server.NewMailbox("client");
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(
            $"login,client_id,name,kind,status,services,registration_email,contacts\nu20001,204001,Тест,Person,Active,Vps,{client},{client}\n"), desk.Clock.GetCurrentInstant()));
        await using (var scope = desk.Scope())
        {
            var request = Requests.Email(client, "Сервер не отвечает", "Логин u20001. VPS не отвечает, ошибка 504.", desk.Clock.GetCurrentInstant(), "first@client.test") with
            {
                References = ["earlier@client.test"],
            };
            var result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, Ct);
            Assert.Equal(IntakeOutcome.TicketCreated, result.Outcome);
        }

        Assert.Equal(1, await Sender(desk).DeliverDueAsync(Ct));

        var row = await desk.WithAsync(db => db.Outbox.AsNoTracking().SingleAsync(Ct));
        Assert.NotNull(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.ClaimedBy);
        var received = Assert.Single(await server.WaitForAsync(client, 1));
        Assert.Equal(row.InternetMessageId, received.MessageId);
        Assert.Equal("first@client.test", received.InReplyTo);
        Assert.Equal(["earlier@client.test", "first@client.test"], received.References);
        Assert.StartsWith("[RG-000001]", received.Subject, StringComparison.Ordinal);
        Assert.Equal("auto-replied", received.Headers["Auto-Submitted"]);
        Assert.Equal("support@example.test", received.From.Mailboxes.Single().Address);
        Assert.Contains("RG-000001", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("Здравствуйте", received.TextBody, StringComparison.Ordinal);

        Assert.Equal(0, await Sender(desk).DeliverDueAsync(Ct));
    }

    [Fact]
    public async Task UnreachableServer_RetriesWithExponentialBackoff()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var desk = await TestDesk.CreateAsync(settings: Settings(port));
        await AddOutgoingAsync(desk, server.NewMailbox("retry"), 1);
        var sender = Sender(desk);

        Assert.Equal(1, await sender.DeliverDueAsync(Ct));
        var first = await desk.WithAsync(db => db.Outbox.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(1, first.Attempts);
        Assert.NotNull(first.LastError);
        Assert.Null(first.SentAt);
        Assert.Null(first.FailedAt);
        Assert.Equal(desk.Clock.GetCurrentInstant() + Duration.FromSeconds(30), first.NextAttemptAt);

        Assert.Equal(0, await sender.DeliverDueAsync(Ct));
        desk.Clock.Advance(Duration.FromSeconds(31));
        Assert.Equal(1, await sender.DeliverDueAsync(Ct));
        var second = await desk.WithAsync(db => db.Outbox.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(2, second.Attempts);
        Assert.Equal(desk.Clock.GetCurrentInstant() + Duration.FromSeconds(60), second.NextAttemptAt);
    }

    [Fact]
    public async Task StartTlsWithAPinnedSelfSignedCertificate_Delivers()
    {
        var settings = new Dictionary<string, string?>(Settings())
        {
            ["Mail:Smtp:Security"] = "StartTls",
            ["Mail:Smtp:TrustedCertificate"] = server.CertificatePath,
        };
        await using var desk = await TestDesk.CreateAsync(settings: settings);
        var to = server.NewMailbox("tls");
        await AddOutgoingAsync(desk, to, 1);

        Assert.Equal(1, await Sender(desk).DeliverDueAsync(Ct));

        Assert.NotNull((await desk.WithAsync(db => db.Outbox.AsNoTracking().SingleAsync(Ct))).SentAt);
        Assert.Single(await server.WaitForAsync(to, 1));
    }

    [Fact]
    public void RetryDelay_DoublesAndIsCapped()
    {
        var options = new SmtpOptions { InitialRetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(10) };
        Assert.Equal([30, 60, 120, 240, 480, 600, 600], Enumerable.Range(1, 7).Select(a => OutboxSender.RetryDelay(a, options).TotalSeconds));
    }

    [Fact]
    public async Task RecipientRefusedPermanently_IsGivenUp_NotRetried()
    {
        await using var desk = await TestDesk.CreateAsync(settings: Settings());
        await AddOutgoingAsync(desk, "someone@elsewhere.invalid", 1);

        Assert.Equal(1, await Sender(desk).DeliverDueAsync(Ct));

        var row = await desk.WithAsync(db => db.Outbox.AsNoTracking().SingleAsync(Ct));
        Assert.NotNull(row.FailedAt);
        Assert.Null(row.SentAt);
        Assert.Contains("external delivery disabled", row.LastError, StringComparison.Ordinal);
        desk.Clock.Advance(Duration.FromDays(1));
        Assert.Equal(0, await Sender(desk).DeliverDueAsync(Ct));
    }

    [Fact]
    public async Task TwoNodesSharingPostgres_SendEachMessageOnce()
    {
        // Small batches, so that the two nodes race for the same rows many times.
        var settings = new Dictionary<string, string?>(Settings()) { ["Mail:Smtp:BatchSize"] = "3" };
        await using var nodeA = await TestDesk.CreateAsync(Engine.Postgres, postgres, settings);
        await using var nodeB = await nodeA.SecondNodeAsync(settings);
        var to = server.NewMailbox("twonodes");
        await AddOutgoingAsync(nodeA, to, 60);
        var senderA = Sender(nodeA);
        var senderB = Sender(nodeB);

        var counts = await Task.WhenAll(DrainAsync(senderA), DrainAsync(senderB));

        Assert.Equal(60, counts.Sum());
        var rows = await nodeA.WithAsync(db => db.Outbox.AsNoTracking().ToListAsync(Ct));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        Assert.All(rows, r => Assert.NotNull(r.SentAt));
        var received = await server.WaitForAsync(to, 60);
        Assert.Equal(60, received.Count);
        Assert.Equal(60, received.Select(m => m.MessageId).Distinct().Count());

        async Task<int> DrainAsync(OutboxSender sender)
        {
            var total = 0;
            for (int n; (n = await sender.DeliverDueAsync(Ct)) > 0;)
                total += n;
            return total;
        }
    }

    [Fact]
    public async Task ASlowBatchWhoseClaimRanOut_DoesNotSendWhatAnotherNodeTookOver()
    {
        var settings = new Dictionary<string, string?>(Settings()) { ["Mail:Smtp:BatchSize"] = "3" };
        await using var nodeA = await TestDesk.CreateAsync(Engine.Postgres, postgres, settings);
        await using var nodeB = await nodeA.SecondNodeAsync(settings);
        var to = server.NewMailbox("slowbatch");
        await AddOutgoingAsync(nodeA, to, 3);
        var senderA = Sender(nodeA);
        var stalled = await senderA.ClaimAsync(Ct);
        Assert.Equal(3, stalled.Count);

        // Node A stalls past its claim (the clocks of the two nodes are separate); node B takes the batch and sends it.
        Assert.Equal(0, await Sender(nodeB).DeliverDueAsync(Ct));
        nodeB.Clock.Advance(Duration.FromMinutes(6));
        Assert.Equal(3, await Sender(nodeB).DeliverDueAsync(Ct));

        // A wakes up with its old batch: none of it is its own any more, so nothing is sent twice.
        Assert.Equal(0, await senderA.SendClaimedAsync(stalled, Ct));
        var rows = await nodeA.WithAsync(db => db.Outbox.AsNoTracking().ToListAsync(Ct));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        var received = await server.WaitForAsync(to, 3);
        Assert.Equal(3, received.Select(m => m.MessageId).Distinct().Count());
    }

    private static Task<int> AddOutgoingAsync(TestDesk desk, string to, int count) => desk.WithAsync(db =>
    {
        for (var i = 0; i < count; i++)
        {
            db.Outbox.Add(new OutboxMessage
            {
                Kind = OutgoingKind.Acknowledgement,
                To = to,
                Subject = $"[RG-{i + 1:000000}] Заявка принята",
                Body = "Здравствуйте!",
                InternetMessageId = $"{Guid.NewGuid():N}@reglament.test",
                AutoSubmitted = true,
                CreatedAt = desk.Clock.GetCurrentInstant(),
            });
        }
        return db.SaveChangesAsync();
    });
}

using System.Globalization;
using MailKit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>The IMAP intake against a real Dovecot: IDLE, the move after the commit, and the crash in between.</summary>
public sealed class ImapIntakeTests(MailServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string support = server.NewMailbox("support");
    private readonly string client = server.NewMailbox("client");

    private ImapMailboxOptions Mailbox => new()
    {
        Host = "127.0.0.1",
        Port = server.ImapPort,
        Security = MailKit.Security.SecureSocketOptions.None,
        UserName = support,
        Password = MailServer.Password,
    };

    private async Task<TestDesk> DeskAsync(bool useIdle = true)
    {
        var desk = await TestDesk.CreateAsync(settings: new()
        {
            ["Mail:Imap:Mailboxes:0:UseIdle"] = useIdle ? "true" : "false",
            ["Mail:Imap:PollInterval"] = "00:00:00.300",
            ["Mail:SupportAddress"] = support,
            ["Mail:Imap:Mailboxes:0:Host"] = "127.0.0.1",
            ["Mail:Imap:Mailboxes:0:Port"] = server.ImapPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Imap:Mailboxes:0:Security"] = "None",
            ["Mail:Imap:Mailboxes:0:UserName"] = support,
            ["Mail:Imap:Mailboxes:0:Password"] = MailServer.Password,
            ["Mail:Imap:InitialReconnectDelay"] = "00:00:00.200",
        });
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(
            $"login,client_id,name,kind,status,services,registration_email,contacts\nu30001,304001,Тест,Person,Active,Vps,{client},{client}\n"), desk.Clock.GetCurrentInstant()));
        return desk;
    }

    private MimeMessage Request(string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Клиент", client));
        message.To.Add(MailboxAddress.Parse(support));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MailArrivingWhileWatching_BecomesATicket_AndMovesToProcessed_ByIdleOrByPolling(bool useIdle)
    {
        await using var desk = await DeskAsync(useIdle);
        var intake = ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services);
        await intake.StartAsync(Ct);
        try
        {
            // Let the worker open the empty mailbox (it creates Processed) and go idle, so IDLE announces the mail below.
            await server.WaitForFolderAsync(support, "Processed");
            await server.SendAsync(Request("Не работает VPS", "Логин u30001. VPS не отвечает, ошибка 504."), Ct);

            var moved = Assert.Single(await server.WaitForAsync(support, 1, folder: "Processed"));
            Assert.Equal("Не работает VPS", moved.Subject);
            var ticket = await desk.WithAsync(db => db.Tickets.AsNoTracking().SingleAsync(Ct));
            Assert.Equal("Не работает VPS", ticket.Subject);
            Assert.Empty(await server.ReadAsync(support, cancellationToken: Ct));
        }
        finally
        {
            await intake.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task CrashBetweenCommitAndMove_NextPassOnlyMovesTheMessage()
    {
        await using var desk = await DeskAsync();
        // No Message-ID on purpose: the mailbox position alone must recognise the message.
        var message = Request("Не работает VPS", "Логин u30001. VPS не отвечает.");
        message.Headers.Remove(HeaderId.MessageId);
        using (var imap = await server.ConnectImapAsync(support, Ct))
        {
            var uid = await imap.Inbox.AppendAsync(new AppendRequest(message), Ct);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, Ct);
            var position = new MailboxPosition(Mailbox.Key, imap.Inbox.UidValidity, uid!.Value.Id);
            // What a crash right after the commit leaves: the position recorded, the message still in INBOX.
            await desk.WithAsync(db =>
            {
                db.ProcessedMailboxMessages.Add(new ProcessedMailboxMessage { Mailbox = position.Mailbox, UidValidity = position.UidValidity, Uid = position.Uid, At = desk.Clock.GetCurrentInstant() });
                return db.SaveChangesAsync(Ct);
            });
        }

        Assert.Equal(1, await ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services).ProcessOnceAsync(Mailbox, Ct));

        Assert.Equal(0, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(0, await desk.WithAsync(db => db.Quarantine.CountAsync(Ct)));
        Assert.Single(await server.ReadAsync(support, "Processed", Ct));
        Assert.Empty(await server.ReadAsync(support, cancellationToken: Ct));
    }

    [Fact]
    public async Task ProcessedOnce_IsNotProcessedAgain_EvenWithoutMessageId()
    {
        await using var desk = await DeskAsync();
        var message = Request("Не работает VPS", "Логин u30001. VPS не отвечает.");
        message.Headers.Remove(HeaderId.MessageId);
        using (var imap = await server.ConnectImapAsync(support, Ct))
            await imap.Inbox.AppendAsync(new AppendRequest(message), Ct);
        var intake = ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services);

        Assert.Equal(1, await intake.ProcessOnceAsync(Mailbox, Ct));
        Assert.Equal(0, await intake.ProcessOnceAsync(Mailbox, Ct));

        Assert.Equal(1, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(1, await desk.WithAsync(db => db.ProcessedMailboxMessages.CountAsync(Ct)));
    }

    [Fact]
    public async Task UnparseableMail_IsQuarantinedWithItsBytes_AndMovedToo()
    {
        await using var desk = await DeskAsync();
        var raw = "Subject: no sender here\r\nX-Test: 1\r\n\r\nbody\r\n"u8.ToArray();
        using (var imap = await server.ConnectImapAsync(support, Ct))
            await imap.Inbox.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(raw), Ct)), Ct);

        Assert.Equal(1, await ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services).ProcessOnceAsync(Mailbox, Ct));

        var item = await desk.WithAsync(db => db.Quarantine.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(QuarantineReason.Unparseable, item.Reason);
        Assert.Contains("X-Test: 1", System.Text.Encoding.ASCII.GetString(item.RawSource), StringComparison.Ordinal);
        Assert.Single(await server.ReadAsync(support, "Processed", Ct));
    }

    [Fact]
    public async Task ServerDown_TheWorkerKeepsRetrying_AndPicksUpOnceItAnswers()
    {
        // A mailbox whose password is wrong stands for a server that refuses us; the worker must survive it.
        await using var desk = await DeskAsync();
        var broken = Mailbox;
        broken.Password = "wrong";
        var intake = ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services);
        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => intake.ProcessOnceAsync(broken, Ct));
        await server.SendAsync(Request("Вопрос", "Логин u30001. Вопрос по тарифу."), Ct);
        await server.WaitForAsync(support, 1);
        Assert.Equal(1, await intake.ProcessOnceAsync(Mailbox, Ct));
        Assert.Equal(1, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
    }

    [Fact]
    public async Task ImapsWithAPinnedSelfSignedCertificate_Works_WithoutThePinItIsRefused()
    {
        await using var desk = await DeskAsync();
        await server.SendAsync(Request("Вопрос", "Логин u30001. Вопрос по тарифу."), Ct);
        await server.WaitForAsync(support, 1);
        var tls = Mailbox;
        tls.Port = server.ImapsPort;
        tls.Security = MailKit.Security.SecureSocketOptions.SslOnConnect;
        var intake = ActivatorUtilities.CreateInstance<ImapIntake>(desk.Services);

        await Assert.ThrowsAsync<MailKit.Security.SslHandshakeException>(() => intake.ProcessOnceAsync(tls, Ct));

        tls.TrustedCertificate = server.CertificatePath;
        Assert.Equal(1, await intake.ProcessOnceAsync(tls, Ct));
        Assert.Equal(1, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Reglament.Tests.Cli;

namespace Reglament.Tests.Mail;

/// <summary>The whole channel as an operator runs it: subscribers write over SMTP to support@example.test (real
/// Postfix → Dovecot), Reglament runs as a real process (<c>reglament serve</c>, configured only through REGLAMENT_
/// environment variables), takes the mail by IMAP IDLE and answers through Postfix into the subscriber's mailbox.</summary>
public sealed partial class EndToEndTests(MailServer server) : IAsyncLifetime
{
    private const string Support = "support@example.test";
    private const string Client1 = "client1@example.test";
    private const string Client2 = "client2@example.test";

    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-e2e-").FullName;
    private ServeProcess serve = null!;

    private HttpClient Api => serve.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var csv = Path.Combine(dataDir, "subscribers.csv");
        await File.WriteAllTextAsync(csv, "login,client_id,name,kind,status,services,registration_email,contacts\n" +
            $"u40001,404001,Клиент Один,Person,Active,Vps,{Client1},{Client1}\n" +
            $"u40002,404002,Клиент Два,Person,Active,Vps,{Client2},{Client2}\n");
        await ReglamentProcess.MigrateAsync(dataDir);
        var import = await ReglamentProcess.RunAsync(["subscribers", "import", csv, "--data-dir", dataDir]);
        Assert.True(import.ExitCode == 0, import.Error);
        serve = await ServeProcess.StartAsync(dataDir, ServeProcess.MailSettings(server, Support));
        // The IMAP worker creates the Processed folder when it opens the mailbox: from then on it is watching.
        await server.WaitForFolderAsync(Support, "Processed");
    }

    public async ValueTask DisposeAsync()
    {
        await serve.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task RequestByMail_IsAcknowledgedByMail_AndTheReplyLandsInTheSameTicket()
    {
        var request = Mail(Client1, $"Не работает VPS {Guid.NewGuid():N}", "Логин u40001. VPS не отвечает, ошибка 504.");
        await server.SendAsync(request, Ct);

        var ack = Assert.Single(await WaitForMailAsync(Client1, 1, m => m.InReplyTo == request.MessageId));
        var number = TicketTag().Match(ack.Subject ?? "").Groups[1].Value;
        Assert.StartsWith("RG-", number, StringComparison.Ordinal);
        Assert.Contains(request.Subject!, ack.Subject, StringComparison.Ordinal);
        Assert.Contains(request.MessageId, ack.References);
        Assert.Equal("auto-replied", ack.Headers["Auto-Submitted"]);
        Assert.Equal(Support, ack.From.Mailboxes.Single().Address);
        Assert.Contains(number, ack.TextBody, StringComparison.Ordinal);

        var reply = Mail(Client1, "Re: " + ack.Subject, "Уточнение: VPS перестал отвечать в 09:40.");
        reply.InReplyTo = ack.MessageId;
        reply.References.AddRange([request.MessageId!, ack.MessageId!]);
        await server.SendAsync(reply, Ct);

        var ticket = await serve.UntilAsync(async () =>
        {
            using var json = JsonDocument.Parse(await Api.GetStringAsync($"/api/tickets/{number}", Ct));
            // The thread lists the outbox's acknowledgement too; the subscriber's two messages are what we wait for.
            var inbound = json.RootElement.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("direction").GetString() == "Inbound").ToList();
            return inbound.Count == 2 ? inbound.Select(m => m.GetProperty("body").GetString()!).ToList() : null;
        }, "the reply to land in " + number);
        Assert.Contains(ticket, b => b.Contains("09:40", StringComparison.Ordinal));
        using var list = JsonDocument.Parse(await Api.GetStringAsync("/api/tickets?subscriber=u40001", Ct));
        Assert.Equal(1, list.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AMisbehavingAutoResponder_DoesNotLoop_RepliesStopAtTheRateLimit()
    {
        // client2 runs an out-of-office that answers everything, with a new subject, without Auto-Submitted and without
        // a prefix that Mail/AutomatedMail.Vacation recognises («Автоответ:» would be kept aside as a vacation reply):
        // the worst kind. Each answer is a new request from an authorized contact, so only the rate limit stops it.
        var first = Mail(Client2, "Вопрос по тарифу", "Логин u40002. Подскажите тариф.");
        await server.SendAsync(first, Ct);
        var answered = new HashSet<string>();
        var tickets = await serve.UntilAsync(async () =>
        {
            foreach (var incoming in await server.ReadAsync(Client2, cancellationToken: Ct))
            {
                if (!answered.Add(incoming.MessageId ?? ""))
                    continue;
                await server.SendAsync(Mail(Client2, $"Меня нет в офисе ({answered.Count})", "Я в отпуске до 01.05, ответ задержится."), Ct);
            }
            using var json = JsonDocument.Parse(await Api.GetStringAsync("/api/tickets?subscriber=u40002&pageSize=200", Ct));
            var items = json.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetString()!).ToList();
            return items.Count >= 6 ? items : null;
        }, "six tickets from the auto-responder");

        // The sixth request was stored but not answered: the ticket says so, and no mail was written for it.
        var suppressed = await serve.UntilAsync(async () =>
        {
            foreach (var number in tickets)
            {
                using var json = JsonDocument.Parse(await Api.GetStringAsync($"/api/tickets/{number}", Ct));
                if (json.RootElement.GetProperty("audit").EnumerateArray().Any(a => a.GetProperty("action").GetString() == "reply.suppressed"))
                    return number;
            }
            return null;
        }, "a suppressed automatic reply");
        Assert.NotNull(suppressed);
        var received = await WaitForMailAsync(Client2, 5);
        Assert.Equal(5, received.Count);
        Assert.Equal(6, tickets.Count);
    }

    private static MimeMessage Mail(string from, string subject, string body)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("e2e.example.test") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(Support));
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    private async Task<List<MimeMessage>> WaitForMailAsync(string user, int count, Func<MimeMessage, bool>? filter = null)
    {
        try
        {
            return await server.WaitForAsync(user, count, filter);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nreglament serve said:\n{serve.Log()}", e);
        }
    }

    [GeneratedRegex(@"\[(RG-\d{6,})\]")]
    private static partial Regex TicketTag();
}

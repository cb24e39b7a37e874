using System.Text.Json;
using MailKit;
using MimeKit;
using Reglament.Tests.Cli;

namespace Reglament.Tests.Mail;

/// <summary>Reglament killed with SIGKILL in the middle of a batch and started again: every message ends as exactly
/// one ticket, none lost, none twice — including those without a Message-ID.</summary>
public sealed class CrashRecoveryTests(MailServer server) : IDisposable
{
    private const int Batch = 500;

    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-crash-").FullName;

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    [Fact]
    public async Task KilledMidBatchAndRestarted_EachMessageBecomesExactlyOneTicket()
    {
        var ct = TestContext.Current.CancellationToken;
        var support = server.NewMailbox("crash-support");
        var client = server.NewMailbox("crash-client");
        var csv = Path.Combine(dataDir, "subscribers.csv");
        await File.WriteAllTextAsync(csv, $"login,client_id,name,kind,status,services,registration_email,contacts\nu50001,505001,Тест,Person,Active,Vps,{client},{client}\n", ct);
        await ReglamentProcess.MigrateAsync(dataDir);
        Assert.Equal(0, (await ReglamentProcess.RunAsync(["subscribers", "import", csv, "--data-dir", dataDir])).ExitCode);

        using (var imap = await server.ConnectImapAsync(support, ct))
        {
            for (var i = 0; i < Batch; i++)
            {
                var message = new MimeMessage { Subject = $"Запрос {i:000}" };
                message.From.Add(MailboxAddress.Parse(client));
                message.To.Add(MailboxAddress.Parse(support));
                message.Body = new TextPart("plain") { Text = $"Логин u50001. Вопрос номер {i} по тарифу VPS." };
                // Every tenth without a Message-ID: only the recorded mailbox position can recognise those.
                if (i % 10 == 0)
                    message.Headers.Remove(HeaderId.MessageId);
                await imap.Inbox.AppendAsync(new AppendRequest(message), ct);
            }
            await imap.DisconnectAsync(true, ct);
        }

        var settings = ServeProcess.MailSettings(server, support, smtp: false);
        await using (var first = await ServeProcess.StartAsync(dataDir, settings))
        {
            await first.UntilAsync(async () => await server.CountAsync(support, "Processed", ct) >= 50, "the first 50 messages");
            await first.KillAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"killed with {await server.CountAsync(support, "Processed", ct)} of {Batch} moved");
        }

        await using var second = await ServeProcess.StartAsync(dataDir, settings);
        await second.UntilAsync(async () => await server.CountAsync(support, "Processed", ct) == Batch && await server.CountAsync(support, cancellationToken: ct) == 0,
            "all messages to be moved", seconds: 300);

        var subjects = new List<string>();
        for (var page = 1; ; page++)
        {
            using var json = JsonDocument.Parse(await second.Api.GetStringAsync($"/api/tickets?subscriber=u50001&pageSize=200&page={page}", ct));
            var items = json.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("subject").GetString()!).ToList();
            subjects.AddRange(items);
            if (items.Count < 200)
                break;
        }
        Assert.Equal(Batch, subjects.Count);
        Assert.Equal(Batch, subjects.Distinct().Count());
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>The LMTP listener of <c>reglament serve</c> (Mail:Lmtp): the protocol Postfix's <c>lmtp</c> transport speaks,
/// spoken by hand and by swaks, against the real application on a loopback port.</summary>
public sealed class LmtpListenerTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-lmtp-").FullName;
    private WebApplication app = null!;
    private IPEndPoint endpoint = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Mail:Lmtp:Endpoint"] = "127.0.0.1:0",
            ["Knowledge:AutoAnswer"] = "false",
        }, new FakeClock(TestDesk.Tuesday10Msk), b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddMailWorkers(b.Configuration);
        });
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await DemoSeeder.SeedAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        // Ready when bound: the test connects only after the listener says where it listens.
        endpoint = (IPEndPoint)await app.Services.GetRequiredService<LmtpListener>().Bound.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static string Message(string subject, string body) =>
        $"From: ivanov@example.org\r\nTo: support@example.ru\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.org>\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;

    [Fact]
    public async Task TwoMessagesInOneSession_EachBecomesATicket_WithOneReplyPerRecipient()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task Send(string text) => await stream.WriteAsync(Encoding.UTF8.GetBytes(text), TestContext.Current.CancellationToken);
        async Task<string> Reply() => await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";

        Assert.StartsWith("220 ", await Reply(), StringComparison.Ordinal);
        await Send("LHLO mx.hoster.test\r\n");
        string line;
        do
            line = await Reply();
        while (line.StartsWith("250-", StringComparison.Ordinal));
        Assert.StartsWith("250 ", line, StringComparison.Ordinal);

        // Pipelined, as Postfix sends it: two recipients, one message.
        var first = Message("Сайт не открывается", "Логин u10002. С 9:00 сайт отдаёт 502.\r\n..точка в начале строки остаётся\r\n");
        await Send("MAIL FROM:<ivanov@example.org>\r\nRCPT TO:<support@example.ru>\r\nRCPT TO:<help@example.ru>\r\nDATA\r\n");
        Assert.StartsWith("250 ", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("354 ", await Reply(), StringComparison.Ordinal);
        await Send(first + ".\r\n");
        var kept = await Reply();
        Assert.StartsWith("250 2.0.0 TicketCreated RG-", kept, StringComparison.Ordinal);
        Assert.Equal(kept, await Reply());

        await Send("MAIL FROM:<ivanov@example.org>\r\nRCPT TO:<support@example.ru>\r\nDATA\r\n");
        Assert.StartsWith("250 ", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("250 ", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("354 ", await Reply(), StringComparison.Ordinal);
        await Send(Message("Вопрос", "Логин u10002. Как сменить пароль FTP?\r\n") + ".\r\n");
        Assert.StartsWith("250 2.0.0 TicketCreated RG-", await Reply(), StringComparison.Ordinal);
        await Send("QUIT\r\n");
        Assert.StartsWith("221 ", await Reply(), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var number = long.Parse(kept.Split(' ')[3]["RG-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var body = (await db.Messages.Where(m => m.TicketId == number).FirstAsync(TestContext.Current.CancellationToken)).Body;
        Assert.Contains("\n.точка в начале строки остаётся", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsOutOfOrder_AreRefused_AndTheSessionGoesOn()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Say(string text)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), TestContext.Current.CancellationToken);
            return await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
        }

        Assert.StartsWith("220 ", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.StartsWith("503 ", await Say("MAIL FROM:<a@b.test>"), StringComparison.Ordinal);
        Assert.StartsWith("500 ", await Say("HELO there"), StringComparison.Ordinal);
        Assert.StartsWith("221 ", await Say("QUIT"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swaks_DeliversOverLmtp()
    {
        var body = Path.Combine(directory, "body.txt");
        await File.WriteAllTextAsync(body, "Логин u10002. Вчера с 18:00 не приходят письма на info@, отправители получают «550 User unknown».", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("swaks")
        {
            ArgumentList = { "--protocol", "LMTP", "--server", endpoint.Address.ToString(), "--port", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--from", "ivanov@example.org", "--to", "support@example.ru", "--header", "Subject: Почта", "--body", "@" + body, "--helo", "mx.hoster.test" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var swaks = Process.Start(start)!;
        var output = await swaks.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await swaks.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(swaks.ExitCode == 0, output + await swaks.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        Assert.Contains("250 2.0.0 TicketCreated RG-", output, StringComparison.Ordinal);
    }
}

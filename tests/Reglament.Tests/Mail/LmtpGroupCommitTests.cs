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
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>Group commit of the LMTP listener (<see cref="MailIngestion.IngestEachAsync"/>): messages of concurrent
/// connections share a transaction, each is answered after the commit that holds it, and a message that fails takes
/// none of the others with it. The pipeline here is the real one with a last outcome stage that throws for a subject
/// with «СБОЙ» — after the store, so the failing message has written its ticket when the transaction must be undone.</summary>
public sealed class LmtpGroupCommitTests : IAsyncLifetime
{
    private const string Failing = "СБОЙ";
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-lmtp-group-").FullName;
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
            b.Services.AddScoped(sp =>
            {
                var real = ActivatorUtilities.CreateInstance<IntakePipeline>(sp);
                return new IntakePipeline(sp.GetRequiredService<ReglamentDb>(), sp.GetRequiredService<Reglament.Sla.SlaSignal>(),
                    real.Chains with { Outcome = [.. real.Chains.Outcome, new FailingStage()] });
            });
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

    [Fact]
    public async Task OneGroup_EveryMessageIsStoredOnce()
    {
        var messages = new[] { Message("Сайт не открывается", "Логин u10002. С 9:00 сайт отдаёт 502."), Message("Почта", "Логин u10002. Не приходят письма на info@."), Message("Вопрос", "Логин u10002. Как сменить пароль FTP?") };

        var attempts = await MailIngestion.IngestEachAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), [.. messages.Select(m => m.Raw)], TestContext.Current.CancellationToken);

        Assert.All(attempts, a => Assert.Equal(IntakeOutcome.TicketCreated, a.Result?.Outcome));
        Assert.Equal(3, attempts.Select(a => a.Result!.Ticket).Distinct().Count());
        foreach (var (id, _) in messages)
            Assert.Equal(1, await StoredAsync(id));
    }

    [Fact]
    public async Task AFailingMessageInAGroup_FailsAlone_AndTheOthersAreKept()
    {
        var messages = new[] { Message("Сайт не открывается", "Логин u10002. С 9:00 сайт отдаёт 502."), Message(Failing, "Логин u10002. Не приходят письма."), Message("Вопрос", "Логин u10002. Как сменить пароль FTP?") };
        var before = await WithDbAsync(db => db.Tickets.CountAsync()); // the demo's own requests

        var attempts = await MailIngestion.IngestEachAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), [.. messages.Select(m => m.Raw)], TestContext.Current.CancellationToken);

        Assert.Equal(IntakeOutcome.TicketCreated, attempts[0].Result?.Outcome);
        Assert.IsType<InvalidOperationException>(attempts[1].Failure);
        Assert.Null(attempts[1].Result);
        Assert.Equal(IntakeOutcome.TicketCreated, attempts[2].Result?.Outcome);
        Assert.Equal(1, await StoredAsync(messages[0].Id));
        Assert.Equal(0, await StoredAsync(messages[1].Id));
        Assert.Equal(1, await StoredAsync(messages[2].Id));
        Assert.Equal(before + 2, await WithDbAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task ConcurrentDeliveries_EachGetsItsOwnReply_AndIsStoredOnce()
    {
        // All four sessions greeted before any message is sent, so the deliveries do overlap; whether the listener
        // groups them or not, each must get its own reply and be stored once (or, failing, not at all).
        var messages = new[] { Message("Сайт не открывается", "Логин u10002. С 9:00 сайт отдаёт 502."), Message(Failing, "Логин u10002. Не приходят письма."), Message("Вопрос", "Логин u10002. Как сменить пароль FTP?"), Message("Почта", "Логин u10002. Не приходят письма на info@.") };
        var sessions = new List<Session>();
        foreach (var _ in messages)
            sessions.Add(await Session.OpenAsync(endpoint));
        try
        {
            var replies = await Task.WhenAll(sessions.Zip(messages, (s, m) => s.DeliverAsync(m.Raw)));

            Assert.StartsWith("250 2.0.0 TicketCreated RG-", replies[0], StringComparison.Ordinal);
            Assert.StartsWith("451 4.3.0 ", replies[1], StringComparison.Ordinal);
            Assert.StartsWith("250 2.0.0 TicketCreated RG-", replies[2], StringComparison.Ordinal);
            Assert.StartsWith("250 2.0.0 TicketCreated RG-", replies[3], StringComparison.Ordinal);
            Assert.Equal(3, new[] { replies[0], replies[2], replies[3] }.Distinct().Count());
            Assert.Equal(0, await StoredAsync(messages[1].Id));
            foreach (var i in new[] { 0, 2, 3 })
                Assert.Equal(1, await StoredAsync(messages[i].Id));

            // The session of the failed message goes on: the MTA's retry on the same connection is answered.
            var retried = Message("Почта снова", "Логин u10002. Письма так и не приходят.");
            Assert.StartsWith("250 2.0.0 TicketCreated RG-", await sessions[1].DeliverAsync(retried.Raw), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }

    private static (string Id, byte[] Raw) Message(string subject, string body)
    {
        var id = $"{Guid.NewGuid():N}@example.org";
        var text = $"From: ivanov@example.org\r\nTo: support@example.ru\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n";
        return (id, Encoding.UTF8.GetBytes(text));
    }

    private Task<int> StoredAsync(string messageId) =>
        WithDbAsync(db => db.Messages.CountAsync(m => m.InternetMessageId != null && m.InternetMessageId.Contains(messageId)));

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private sealed class FailingStage : IIntakeStage
    {
        public Task RunAsync(IntakeContext context, CancellationToken cancellationToken) =>
            context.Request.Subject.Contains(Failing, StringComparison.Ordinal) ? throw new InvalidOperationException("the disk is full") : Task.CompletedTask;
    }

    /// <summary>One LMTP connection, greeted, delivering one message per transaction to one recipient.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly TcpClient client;
        private readonly NetworkStream stream;
        private readonly StreamReader reader;

        private Session(TcpClient client)
        {
            this.client = client;
            stream = client.GetStream();
            reader = new StreamReader(stream, Encoding.ASCII);
        }

        public static async Task<Session> OpenAsync(IPEndPoint endpoint)
        {
            var client = new TcpClient();
            await client.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
            var session = new Session(client);
            Assert.StartsWith("220 ", await session.ReplyAsync(), StringComparison.Ordinal);
            await session.SendAsync("LHLO mx.hoster.test\r\n");
            string line;
            do
                line = await session.ReplyAsync();
            while (line.StartsWith("250-", StringComparison.Ordinal));
            Assert.StartsWith("250 ", line, StringComparison.Ordinal);
            return session;
        }

        public async Task<string> DeliverAsync(byte[] raw)
        {
            await SendAsync("MAIL FROM:<ivanov@example.org>\r\nRCPT TO:<support@example.ru>\r\nDATA\r\n");
            Assert.StartsWith("250 ", await ReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("250 ", await ReplyAsync(), StringComparison.Ordinal);
            Assert.StartsWith("354 ", await ReplyAsync(), StringComparison.Ordinal);
            await stream.WriteAsync(raw, TestContext.Current.CancellationToken);
            await SendAsync(".\r\n");
            return await ReplyAsync();
        }

        private async Task SendAsync(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text), TestContext.Current.CancellationToken);

        private async Task<string> ReplyAsync() => await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";

        public async ValueTask DisposeAsync()
        {
            await SendAsync("QUIT\r\n");
            reader.Dispose();
            await stream.DisposeAsync();
            client.Dispose();
        }
    }
}

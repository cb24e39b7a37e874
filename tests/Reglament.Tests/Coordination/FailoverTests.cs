using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tests.Mail;
using Reglament.Tickets;

namespace Reglament.Tests.Coordination;

/// <summary>Three <c>reglament serve</c> nodes on one PostgreSQL take mail over LMTP while one of them — the first
/// started, which holds the SLA watcher — is SIGKILLed and started again: every message becomes exactly one ticket with
/// one acknowledgement, every SLA breach of the tickets that fall due meanwhile is announced exactly once, and a
/// signed-in engineer keeps the session on another node.</summary>
public sealed class FailoverTests(PostgresServer postgres)
{
    private const int Count = 1000;

    /// <summary>Tickets received long ago and never answered, stored while the mail arrives: each breach is due at once.</summary>
    private const int Overdue = 300;

    private const string Duty = "duty@example.ru";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodes_OneKilledAndRestartedDuringDelivery_EveryMessageIsOneTicket()
    {
        await using var desk = await TestDesk.CreateAsync(Engine.Postgres, postgres);
        // One contact per message: automatic replies are limited per sender, and every message here must get its own.
        var csv = "login,client_id,name,kind,status,services,registration_email,contacts\n" +
            $"u10002,104524,Иванов И. И.,Person,Active,Vps;Backup,ivanov@example.test,{string.Join(';', Enumerable.Range(0, Count).Select(Contact).Concat(Enumerable.Range(0, Overdue).Select(OverdueContact)))}\n";
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(csv), desk.Clock.GetCurrentInstant()));
        var dataDir = Directory.CreateTempSubdirectory("reglament-failover-").FullName;
        var nodes = new ServeProcess?[3];
        var lmtpPorts = new int[3];
        try
        {
            // Node 0 starts alone first, so it takes the SLA watcher's lease; the others wait for it.
            for (var i = 0; i < nodes.Length; i++)
                (nodes[i], lmtpPorts[i]) = await StartNodeAsync(desk, dataDir);

            // An engineer signs in on node 0 (a staff account made through the shared database).
            await using (var scope = desk.Scope())
                await scope.ServiceProvider.GetRequiredService<Reglament.Staff.StaffAccounts>().SetAsync("engineer", "Анна", Reglament.Staff.StaffRole.Engineer, "failover-password", Token);
            var cookies = new CookieContainer();
            await SignInAsync(nodes[0]!, cookies);

            // Three lanes deliver at once, round-robin; a node that does not answer or says 4xx is skipped and the
            // message offered to the next, as Postfix does with several LMTP destinations. Meanwhile overdue tickets are
            // stored one by one, and the watcher announces each breach. Node 0 — delivering and watching — is SIGKILLed a
            // quarter of the way with a third of the overdue tickets stored (mid-delivery and mid-announcement) and started again at
            // two thirds.
            var ids = Enumerable.Range(0, Count).Select(i => $"failover-{i}-{Guid.NewGuid():N}@example.test").ToList();
            var outcomes = new string[Count];
            var next = -1;
            var delivered = 0;
            var lanes = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < Count;)
                {
                    outcomes[i] = await DeliverAsync(lmtpPorts, i, ids[i]);
                    Interlocked.Increment(ref delivered);
                }
            }, Token)).ToList();
            var overdue = new List<long>();
            var overdueStored = 0;
            lanes.Add(Task.Run(async () =>
            {
                for (var i = 0; i < Overdue; i++)
                {
                    await using var scope = desk.Scope();
                    var result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(Requests.Email(OverdueContact(i), $"Авария {i}",
                        $"Логин u10002, регистрационный адрес ivanov@example.test. VPS 203.0.113.{i % 250 + 1} не отвечает по SSH с 10:00, ping не проходит, ничего не меняли.",
                        TestDesk.Tuesday10Msk + NodaTime.Duration.FromMinutes(i), $"overdue-{i}-{Guid.NewGuid():N}@example.test"), Token);
                    Assert.True(result.Decision == DecisionOutcome.Accepted, $"overdue request {i}: {result.Decision}; {string.Join("; ", result.Evidence?.Select(e => e.Finding) ?? [])}");
                    overdue.Add(result.Ticket!.Value.Value);
                    Interlocked.Increment(ref overdueStored);
                }
            }, Token));
            // The kill waits for a third of the overdue tickets too (the first judgement in this process trains its
            // models, which can take longer than the first deliveries), so the watcher dies with breaches left to announce.
            await UntilAsync(() => Volatile.Read(ref delivered) >= Count / 4 && Volatile.Read(ref overdueStored) >= Overdue / 3, lanes);
            await nodes[0]!.KillAsync();
            await UntilAsync(() => Volatile.Read(ref delivered) >= 2 * Count / 3, lanes);
            await nodes[0]!.DisposeAsync();
            nodes[0] = null;
            (nodes[0], var restartedPort) = await StartNodeAsync(desk, dataDir);
            Volatile.Write(ref lmtpPorts[0], restartedPort);
            await Task.WhenAll(lanes);
            Assert.All(outcomes, o => Assert.StartsWith("250 ", o, StringComparison.Ordinal));

            var stored = await desk.WithAsync(db => db.Messages.Where(m => ids.Contains(m.InternetMessageId!)).Select(m => new { m.InternetMessageId, m.TicketId }).ToListAsync(Token));
            Assert.Equal(Count, stored.Count);
            Assert.Equal(Count, stored.Select(m => m.TicketId).Distinct().Count());
            var tickets = stored.Select(m => m.TicketId).ToList();
            var acknowledgements = await desk.WithAsync(db => db.Outbox.Where(o => o.TicketId != null && tickets.Contains(o.TicketId.Value) && o.Kind != OutgoingKind.SlaNotification)
                .GroupBy(o => o.TicketId).Select(g => g.Count()).ToListAsync(Token));
            Assert.Equal(Count, acknowledgements.Count);
            Assert.All(acknowledgements, n => Assert.Equal(1, n));

            // Every overdue ticket's breach is announced to the engineer on duty exactly once, whoever watched when.
            var announced = Stopwatch.StartNew();
            while (await desk.WithAsync(db => db.Tickets.CountAsync(t => overdue.Contains(t.Id) && t.SlaBreachedAt != null, Token)) < Overdue)
            {
                Assert.True(announced.Elapsed < TimeSpan.FromSeconds(180), "breaches not announced");
                await Task.Delay(200, Token);
            }
            var notices = await desk.WithAsync(db => db.Outbox.Where(o => o.TicketId != null && overdue.Contains(o.TicketId.Value) && o.Kind == OutgoingKind.SlaNotification)
                .Select(o => new { o.TicketId, o.To }).ToListAsync(Token));
            Assert.All(notices, n => Assert.Equal(Duty, n.To));
            Assert.Equal(Overdue, notices.Count);
            Assert.Equal(Overdue, notices.Select(n => n.TicketId).Distinct().Count());
            var audited = await desk.WithAsync(db => db.AuditEvents.Where(a => a.TicketId != null && overdue.Contains(a.TicketId.Value) && a.Action == "sla.breached")
                .GroupBy(a => a.TicketId).Select(g => g.Count()).ToListAsync(Token));
            Assert.Equal(Overdue, audited.Count);
            Assert.All(audited, n => Assert.Equal(1, n));

            // The session made on node 0 opens the queue on node 2.
            using var other = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = nodes[2]!.Api.BaseAddress };
            var queue = await other.GetAsync("/", Token);
            Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        }
        finally
        {
            foreach (var node in nodes)
                if (node is not null)
                    await node.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Waits for the condition; fails at once if a delivery lane failed, and after a deadline.</summary>
    private static async Task UntilAsync(Func<bool> condition, List<Task> lanes)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (lanes.FirstOrDefault(l => l.IsFaulted) is { } failed)
                await failed;
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(180), "deliveries stalled");
            await Task.Delay(50, Token);
        }
    }

    private static async Task<(ServeProcess, int)> StartNodeAsync(TestDesk desk, string dataDir)
    {
        var port = FreePort();
        var node = await ServeProcess.StartAsync(dataDir, new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = desk.Configuration["ConnectionStrings:Postgres"]!,
            ["Policy:Authentication:Disabled"] = "true",
            ["Knowledge:AutoAnswer"] = "false",
            ["Mail:SupportAddress"] = "support@example.ru",
            ["Mail:Lmtp:Endpoint"] = $"127.0.0.1:{port}",
            ["Sla:DutyEngineers:0"] = Duty,
            // Tickets stored by another process wake no watcher here: it looks again every second.
            ["Sla:WatcherMaxSleepSeconds"] = "1",
        });
        // Ready when the listener answers its greeting.
        await node.UntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, Token);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                return (await reader.ReadLineAsync(Token))?.StartsWith("220 ", StringComparison.Ordinal) == true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "the LMTP listener");
        return (node, port);
    }

    private static async Task SignInAsync(ServeProcess node, CookieContainer cookies)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Api.BaseAddress };
        var form = await client.GetStringAsync("/account/signin", Token);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "engineer", ["Password"] = "failover-password", ["__RequestVerificationToken"] = token });
        var response = await client.PostAsync("/account/signin", body, Token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Offers message <paramref name="index"/> to the nodes from its round-robin turn on, until one keeps it.</summary>
    private static async Task<string> DeliverAsync(int[] ports, int index, string messageId)
    {
        var text = $"From: {Contact(index)}\r\nTo: support@example.ru\r\nSubject: Сбой {index}\r\nMessage-ID: <{messageId}>\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
            $"Логин u10002. С утра VPS номер {index} не отвечает: ошибка 504 Gateway Timeout, по SSH не подключиться.\r\n";
        var deadline = Stopwatch.StartNew();
        var last = "";
        for (var attempt = 0; deadline.Elapsed < TimeSpan.FromSeconds(120); attempt++)
        {
            var port = Volatile.Read(ref ports[(index + attempt) % ports.Length]);
            try
            {
                last = await LmtpAsync(port, Contact(index), text);
                if (last.StartsWith("250 ", StringComparison.Ordinal))
                    return last;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                last = e.Message;
            }
            if (attempt % ports.Length == ports.Length - 1)
                await Task.Delay(200, Token);
        }
        return last;
    }

    private static string Contact(int index) => $"contact{index}@example.test";

    private static string OverdueContact(int index) => $"overdue{index}@example.test";

    private static async Task<string> LmtpAsync(int port, string from, string message)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Token);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Say(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line), Token);
            return await reader.ReadLineAsync(Token) ?? throw new IOException("connection closed");
        }
        if (await reader.ReadLineAsync(Token) is not { } greeting || !greeting.StartsWith("220 ", StringComparison.Ordinal))
            throw new IOException("no greeting");
        var hello = await Say("LHLO mx.failover.test\r\n");
        while (hello.StartsWith("250-", StringComparison.Ordinal))
            hello = await reader.ReadLineAsync(Token) ?? throw new IOException("connection closed");
        foreach (var command in new[] { $"MAIL FROM:<{from}>\r\n", "RCPT TO:<support@example.ru>\r\n", "DATA\r\n" })
        {
            var reply = await Say(command);
            if (reply[0] is not ('2' or '3'))
                return reply;
        }
        var outcome = await Say(message + ".\r\n");
        try { await Say("QUIT\r\n"); } catch (IOException) { }
        return outcome;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Sla;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Cli;

/// <summary><c>reglament bench web</c>: a desk with N tickets (seeded once into a data directory), the real web
/// application on Kestrel, and the queue page and the ticket API timed over loopback. With <c>--serve</c> it keeps
/// serving afterwards for a load generator (wrk). Figures in docs/performance.md.</summary>
public static partial class BenchWebCommand
{
    public const string ApiKey = "bench-key";
    private const string Login = "bench";
    private const string Password = "bench-password";

    public static Command Create(IClock clock)
    {
        var tickets = new Option<int>("--tickets") { DefaultValueFactory = _ => 100_000 };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Where the seeded database lives; reused when it already has the tickets", Required = true };
        var urls = new Option<string>("--urls") { DefaultValueFactory = _ => "http://127.0.0.1:5081" };
        var requests = new Option<int>("--requests") { Description = "Timed requests per view", DefaultValueFactory = _ => 200 };
        var serve = new Option<bool>("--serve") { Description = "Keep serving after the measurement (Ctrl+C stops), for wrk" };
        var command = new Command("web", "Seed N tickets, start the web application and time the queue page and the ticket API") { tickets, dataDir, urls, requests, serve };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(tickets);
            var app = Web.WebApp.Build([], new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = parseResult.GetValue(dataDir)!.FullName,
                ["urls"] = parseResult.GetValue(urls),
                ["Api:Keys:0"] = ApiKey,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Staff:SignInAttemptsPerMinute"] = "1000",
            }, clock);
            await ReglamentServices.PrepareAsync(app.Services, cancellationToken);
            var seed = Stopwatch.StartNew();
            var total = await SeedAsync(app.Services, n, clock, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} tickets in the database ({seed.Elapsed.TotalSeconds:F0} s to make sure)"));
            await app.StartAsync(cancellationToken);
            var baseUrl = app.Urls.First().TrimEnd('/');

            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
            await SignInAsync(client, cancellationToken);
            var count = parseResult.GetValue(requests);
            var lastPage = (total + Web.Pages.IndexModel.PageSize - 1) / Web.Pages.IndexModel.PageSize;
            Console.WriteLine($"{count} sequential requests per view, after 20 to warm up; latency seen by a client on loopback (ms):");
            Console.WriteLine("view                                             p50     p95     p99     max");
            foreach (var (name, url) in new[]
            {
                ("queue: open work (default view)", "/"),
                ("queue: all tickets, page 1", "/?status=all"),
                ("queue: all tickets, page 1000", "/?status=all&p=1000"),
                ($"queue: all tickets, last page ({lastPage})", $"/?status=all&p={lastPage}"),
                ("queue: all, critical only", "/?status=all&criticality=Critical"),
                ("queue: all, one subscriber", "/?status=all&subscriber=b00007"),
                ("queue: nobody assigned", "/?assignee=-"),
            })
                await MeasureAsync(client, name, _ => url, count, cancellationToken);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
            await MeasureAsync(client, "API: GET /api/tickets/{random}", i => $"/api/tickets/{new TicketNumber(1 + (i * 7919 % total))}", count, cancellationToken);

            if (parseResult.GetValue(serve))
            {
                Console.WriteLine($"Serving {baseUrl} until Ctrl+C. API key {ApiKey}; staff {Login} / {Password}. For example:");
                Console.WriteLine($"  wrk -t2 -c32 -d30s --latency -s scripts/wrk-tickets.lua {baseUrl}");
                await app.WaitForShutdownAsync(cancellationToken);
            }
            else
            {
                await app.StopAsync(cancellationToken);
            }
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task MeasureAsync(HttpClient client, string name, Func<int, string> url, int count, CancellationToken cancellationToken)
    {
        var times = new double[count];
        for (var i = -20; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url(i + 20), HttpCompletionOption.ResponseContentRead, cancellationToken);
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{url(i + 20)} answered {(int)response.StatusCode}");
            if (i >= 0)
                times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double At(double q) => times[Math.Min(count - 1, (int)Math.Ceiling(q * count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-45} {At(0.50),7:F1} {At(0.95),7:F1} {At(0.99),7:F1} {times[^1],7:F1}"));
    }

    internal static async Task SignInAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(Web.StaffSignIn.SignInPath, cancellationToken);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = Login, ["Password"] = Password, ["__RequestVerificationToken"] = token });
        using var response = await client.PostAsync(Web.StaffSignIn.SignInPath, content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in as {Login} answered {(int)response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Second subjects of the seeded tickets, one in ten each; the empty one leaves the subject as it was.</summary>
    internal static readonly string[] Topics =
    [
        "", "; письма не доходят до получателей", "; просроченный SSL-сертификат", "; восстановить базу из резервной копии",
        "; DNS-записи домена", "; медленно работает VPS", "; не приходит почта на ящик", "; переезд сайта на PHP 8",
        "; ошибка в панели управления", "; забыли пароль от FTP",
    ];

    /// <summary>Tickets as a desk has them after two years: received over 730 days, almost all answered and closed, the
    /// last few days' still open, each with the subscriber's first message. Inserted in bulk, not through the pipeline
    /// (that is what <c>bench ingest</c> measures).</summary>
    internal static async Task<int> SeedAsync(IServiceProvider services, int n, IClock clock, CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            await scope.ServiceProvider.GetRequiredService<Staff.StaffAccounts>().SetAsync(Login, "Benchmark", Staff.StaffRole.Engineer, Password, cancellationToken);
            if (!await db.Subscribers.AnyAsync(cancellationToken))
                await SubscriberCsv.ImportAsync(db, new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
            var existing = await db.Tickets.CountAsync(cancellationToken);
            if (existing >= n)
                return existing;
        }
        var slaClock = services.GetRequiredService<TicketClock>();
        var now = clock.GetCurrentInstant();
        var random = new Random(42);
        var criticalities = Enum.GetValues<Criticality>();
        var types = Enum.GetValues<RequestType>();
        var engineers = new[] { "ivanov", "petrova", "sidorov", null };
        // What else a request is about, from its own generator so the rest of the seed stays as it was: search
        // (bench search) needs words of different frequencies, not one text 100,000 times.
        var topics = new Random(7);
        long[] subscribers;
        await using (var scope = services.CreateAsyncScope())
            subscribers = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Subscribers.Select(s => s.Id).ToArrayAsync(cancellationToken);
        var existingCount = 0;
        await using (var scope = services.CreateAsyncScope())
            existingCount = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.CountAsync(cancellationToken);
        for (var done = existingCount; done < n;)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var chunk = Math.Min(5_000, n - done);
            for (var i = 0; i < chunk; i++, done++)
            {
                // Evenly back over two years, the newest last: the last ~0.5 % are the open work.
                var received = now - Duration.FromMinutes((long)((n - done) * (730.0 * 24 * 60 / n)));
                var criticality = criticalities[random.Next(criticalities.Length)];
                var ticket = new Ticket
                {
                    SubscriberId = subscribers[random.Next(subscribers.Length)],
                    Channel = Channel.Email,
                    Type = types[random.Next(types.Length)],
                    Criticality = criticality,
                    Subject = $"Заявка {done}: не открывается сайт, ошибка 50{random.Next(10)}{Topics[topics.Next(Topics.Length)]}",
                    ReceivedAt = received,
                    Assignee = engineers[random.Next(engineers.Length)],
                };
                var events = new List<SlaEvent> { SlaEvent.Received(received, criticality, ticket.Type, "bench") };
                var open = now - received < Duration.FromDays(4);
                if (!open)
                {
                    events.Add(SlaEvent.Responded(received + Duration.FromMinutes(random.Next(5, 300)), ResponseKind.EngineerReply, ticket.Assignee ?? "bench"));
                    ticket.MoveTo(TicketStatus.Open);
                    ticket.MoveTo(TicketStatus.Closed);
                }
                else if (random.Next(3) == 0)
                {
                    ticket.MoveTo(TicketStatus.Open);
                }
                await slaClock.RecordAsync(db, ticket, events, now, cancellationToken);
                ticket.Messages.Add(new Message
                {
                    Direction = MessageDirection.Inbound,
                    At = received,
                    Author = $"contact{done % 100}@example.org",
                    Subject = ticket.Subject,
                    Body = "Здравствуйте! С утра сайт на VPS отвечает ошибкой 502 Bad Gateway, по SSH подключиться не получается. "
                        + "Логин b00007. Что делали: перезагрузили сервер из панели, не помогло. Текст ошибки: nginx 502. Прошу помочь.",
                    InternetMessageId = $"<bench-{done}@example.org>",
                });
                db.Tickets.Add(ticket);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            Console.Write($"\rseeded {done} tickets");
        }
        Console.WriteLine();
        return n;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using NodaTime;

namespace Reglament.Cli;

/// <summary><c>reglament bench search</c>: full-text search (Tickets/TicketSearch) on <c>bench web</c>'s seeded desk,
/// through the real web application on Kestrel: the queue page and <c>GET /api/tickets?q=</c>, for words that match
/// every ticket, a tenth of them, one ticket, and with filters. Figures in docs/performance.md.</summary>
public static class BenchSearchCommand
{
    public static Command Create(IClock clock)
    {
        var tickets = new Option<int>("--tickets") { DefaultValueFactory = _ => 100_000 };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Where the seeded database lives; reused when it already has the tickets", Required = true };
        var urls = new Option<string>("--urls") { DefaultValueFactory = _ => "http://127.0.0.1:5082" };
        var requests = new Option<int>("--requests") { Description = "Timed requests per search", DefaultValueFactory = _ => 200 };
        var command = new Command("search", "Seed N tickets (as bench web), start the web application and time full-text searches") { tickets, dataDir, urls, requests };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = Web.WebApp.Build([], new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = parseResult.GetValue(dataDir)!.FullName,
                ["urls"] = parseResult.GetValue(urls),
                ["Api:Keys:0"] = BenchWebCommand.ApiKey,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Staff:SignInAttemptsPerMinute"] = "1000",
            }, clock);
            var prepare = Stopwatch.StartNew();
            await ReglamentServices.PrepareAsync(app.Services, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"migrated and indexed in {prepare.Elapsed.TotalSeconds:F1} s"));
            var seed = Stopwatch.StartNew();
            var total = await BenchWebCommand.SeedAsync(app.Services, parseResult.GetValue(tickets), clock, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} tickets in the database ({seed.Elapsed.TotalSeconds:F0} s to make sure)"));
            await app.StartAsync(cancellationToken);

            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First().TrimEnd('/')) };
            await BenchWebCommand.SignInAsync(client, cancellationToken);
            var count = parseResult.GetValue(requests);
            Console.WriteLine($"{count} sequential requests per search, after 20 to warm up; latency seen by a client on loopback (ms):");
            Console.WriteLine("search                                           p50     p95     p99     max");
            static string Q(string words) => Uri.EscapeDataString(words);
            // Every ticket's text says «сайт»; a tenth say «сертификат»; one ticket has the number 77777.
            foreach (var (name, url) in new[]
            {
                ("queue: «сайтом», open work (all match)", $"/?q={Q("сайтом")}"),
                ("queue: «сайтом», all statuses (all match)", $"/?q={Q("сайтом")}&status=all"),
                ("queue: «сертификаты», all statuses (1/10)", $"/?q={Q("сертификаты")}&status=all"),
                ("queue: «письма получателям» + critical, all", $"/?q={Q("письма получателям")}&status=all&criticality=Critical"),
                ("queue: «почта» + one subscriber, all", $"/?q={Q("почта")}&status=all&subscriber=b00007"),
                ("queue: «заявка 77777», all (one ticket)", $"/?q={Q("заявка 77777")}&status=all"),
                ("queue: «сертификат» + nobody assigned, open", $"/?q={Q("сертификат")}&assignee=-"),
            })
                await BenchWebCommand.MeasureAsync(client, name, _ => url, count, cancellationToken);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BenchWebCommand.ApiKey);
            await BenchWebCommand.MeasureAsync(client, "API: ?q=«DNS-записи» (1/10)", _ => $"/api/tickets?q={Q("DNS-записи")}", count, cancellationToken);
            await BenchWebCommand.MeasureAsync(client, "API: ?q=«сайта» (all match)", _ => $"/api/tickets?q={Q("сайта")}", count, cancellationToken);
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}

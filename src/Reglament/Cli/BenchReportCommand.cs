using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Reglament.Data;
using Reglament.Sla;

namespace Reglament.Cli;

/// <summary><c>reglament bench report --data-dir DIR [--tickets N]</c>: the supervisors' report and <c>/metrics</c>
/// over the same two years of seeded tickets as <c>bench web</c> (docs/performance.md).</summary>
public static class BenchReportCommand
{
    public static Command Create(IClock clock)
    {
        var tickets = new Option<int>("--tickets") { DefaultValueFactory = _ => 100_000 };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Where the seeded database lives; reused when it already has the tickets", Required = true };
        var runs = new Option<int>("--runs") { Description = "Timed runs per measurement, after one to warm up", DefaultValueFactory = _ => 5 };
        var command = new Command("report", "Seed N tickets and time the SLA report (a month, the whole history) and /metrics") { tickets, dataDir, runs };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = Web.WebApp.Build([], new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = parseResult.GetValue(dataDir)!.FullName,
                ["Logging:LogLevel:Default"] = "Warning",
            }, clock);
            // Preparing includes migrating and keeping every ticket's deadlines when the file comes from an older build
            // (the report's kept figures), which is a cost of the upgrade worth reporting beside the report's.
            var preparing = Stopwatch.StartNew();
            await ReglamentServices.PrepareAsync(app.Services, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prepared (migrations, kept deadlines, knowledge index) in {preparing.Elapsed.TotalSeconds:F1} s"));
            var total = await BenchWebCommand.SeedAsync(app.Services, parseResult.GetValue(tickets), clock, cancellationToken);
            var report = app.Services.GetRequiredService<SlaReport>();
            var deadlines = app.Services.GetRequiredService<ResponseDeadlines>();
            var now = clock.GetCurrentInstant();
            var today = now.InZone(report.Zone).Date;
            var month = today.PlusMonths(-1).With(DateAdjusters.StartOfMonth);
            var n = parseResult.GetValue(runs);
            Console.WriteLine($"{total} tickets over two years; {n} runs after one to warm up (ms):");
            // CPU time beside wall time: on a shared machine the wall time mostly measures the other processes.
            Console.WriteLine("measurement                                   median     min     max  cpu median  tickets in it");
            async Task Measure(string name, Func<ReglamentDb, Task<int>> body)
            {
                var times = new List<double>();
                var cpu = new List<double>();
                var size = 0;
                for (var i = 0; i <= n; i++)
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    size = await body(db);
                    if (i > 0)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    }
                }
                times.Sort();
                cpu.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {times[times.Count / 2],7:F1} {times[0],7:F1} {times[^1],7:F1}  {cpu[cpu.Count / 2],10:F1}  {size}"));
            }
            await Measure($"report, last month ({month:uuuu-MM})", async db => (await report.BuildAsync(db, month, month.PlusMonths(1), now, cancellationToken)).Tickets);
            await Measure("report, whole history (two years)", async db => (await report.BuildAsync(db, today.PlusDays(-800), today.PlusDays(1), now, cancellationToken)).Tickets);
            await Measure("/metrics (render)", async db => (await Web.MetricsEndpoint.RenderAsync(db, deadlines, now, cancellationToken)).Length);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;

namespace Reglament.Cli;

/// <summary><c>reglament bench ingest</c>: ingestion throughput from a directory of generated realistic mail into a
/// fresh SQLite database (or the configured PostgreSQL), the way <c>ingest --dir</c> runs. Figures in docs/performance.md.</summary>
public static class BenchCommand
{
    public static Command Create(IClock clock)
    {
        var count = new Option<int>("--count") { Description = "How many messages to generate", DefaultValueFactory = _ => 10_000 };
        var ingest = new Command("ingest", "Generate N realistic messages into a folder and ingest them into a fresh database; prints messages per second") { count };
        ingest.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(count);
            var work = Directory.CreateTempSubdirectory("reglament-bench-").FullName;
            try
            {
                var mail = Directory.CreateDirectory(Path.Combine(work, "mail")).FullName;
                var i = 0;
                foreach (var raw in BenchMail.Generate(n))
                    await File.WriteAllBytesAsync(Path.Combine(mail, $"{i++:000000}.eml"), raw, cancellationToken);
                var files = MailDirectory.Files(mail);
                Console.WriteLine($"{files.Count} messages generated in {mail} ({files.Sum(f => new FileInfo(f).Length) / 1024} KiB)");

                var watch = Stopwatch.StartNew();
                foreach (var file in files)
                    MailParser.TryParse(await File.ReadAllBytesAsync(file, cancellationToken), clock.GetCurrentInstant(), out _, out _);
                Report("parse only", files.Count, watch.Elapsed);

                var overrides = new Dictionary<string, string?> { ["Storage:DataDirectory"] = Path.Combine(work, "db") };
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(overrides).Build();
                await using var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
                await Storage.PrepareAsync(services, cancellationToken);
                await using (var scope = services.CreateAsyncScope())
                    await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);

                var outcomes = new Dictionary<IntakeOutcome, int>();
                watch.Restart();
                foreach (var file in files)
                {
                    await using var scope = services.CreateAsyncScope();
                    var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>()
                        .IngestAsync(await File.ReadAllBytesAsync(file, cancellationToken), MailDirectory.Position(mail, file), cancellationToken);
                    outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
                }
                Report("ingest into SQLite", files.Count, watch.Elapsed);
                Console.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
                return ExitCodes.Ok;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        });
        return new Command("bench", "Benchmarks of the desk itself") { ingest };
    }

    private static void Report(string what, int count, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {count} messages in {elapsed.TotalSeconds:F1} s = {count / elapsed.TotalSeconds:F0} msg/s"));
}

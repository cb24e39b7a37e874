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

                // Mail from a mailbox or an MTA commits each message before it is taken; an archive commits in batches.
                await MeasureAsync("ingest into SQLite, one commit per message (IMAP, pipe)", Path.Combine(work, "db1"), async services =>
                {
                    var outcomes = new Dictionary<IntakeOutcome, int>();
                    foreach (var file in files)
                    {
                        await using var scope = services.CreateAsyncScope();
                        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>()
                            .IngestAsync(await File.ReadAllBytesAsync(file, cancellationToken), MailDirectory.Position(mail, file), cancellationToken);
                        outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
                    }
                    Console.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
                });
                await MeasureAsync($"ingest into SQLite, {MailIngestion.BatchSize} per commit (ingest --dir)", Path.Combine(work, "db2"), async services =>
                {
                    foreach (var batch in files.Chunk(MailIngestion.BatchSize))
                        await IngestDirectory.IngestBatchAsync(services, mail, batch, cancellationToken);
                });

                async Task MeasureAsync(string what, string dataDirectory, Func<IServiceProvider, Task> run)
                {
                    var overrides = new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory };
                    var configuration = new ConfigurationBuilder().AddInMemoryCollection(overrides).Build();
                    await using var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
                    await Storage.PrepareAsync(services, cancellationToken);
                    await using (var scope = services.CreateAsyncScope())
                        await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
                    var stopwatch = Stopwatch.StartNew();
                    await run(services);
                    Report(what, files.Count, stopwatch.Elapsed);
                    // Flat memory: the heap after a run does not grow with the number of messages.
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  managed heap after the run: {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024} MB; working set {Environment.WorkingSet / 1024 / 1024} MB"));
                }
                return ExitCodes.Ok;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        });
        return new Command("bench", "Benchmarks of the desk itself") { ingest, Imap(clock, count), BenchWebCommand.Create(clock), BenchReportCommand.Create(clock), BenchPipeCommand.Create(clock), BenchSearchCommand.Create(clock), BenchHostileCommand.Create(clock) };
    }

    /// <summary><c>reglament bench imap</c>: N generated messages appended to a real IMAP mailbox, then taken by the
    /// IMAP intake into a fresh SQLite database (fetch, pipeline, commit, move) — the worker's own path.</summary>
    private static Command Imap(IClock clock, Option<int> count)
    {
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 1143 };
        var user = new Option<string>("--user") { Description = "The mailbox account; it should be empty: everything in it is taken", Required = true };
        var password = new Option<string>("--password") { Description = "Read from REGLAMENT_BENCH_IMAP_PASSWORD when not given" };
        var command = new Command("imap", "Append N generated messages to an IMAP mailbox (plain IMAP on loopback) and time the IMAP intake taking them") { count, host, port, user, password };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var mailbox = new ImapMailboxOptions
            {
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                Security = MailKit.Security.SecureSocketOptions.None,
                UserName = parseResult.GetValue(user)!,
                Password = parseResult.GetValue(password) ?? Environment.GetEnvironmentVariable("REGLAMENT_BENCH_IMAP_PASSWORD") ?? "",
                Folder = "INBOX",
                ProcessedFolder = "Processed",
            };
            var n = parseResult.GetValue(count);
            using (var client = new MailKit.Net.Imap.ImapClient())
            {
                await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Security, cancellationToken);
                await client.AuthenticateAsync(mailbox.UserName, mailbox.Password, cancellationToken);
                var appendWatch = Stopwatch.StartNew();
                foreach (var raw in BenchMail.Generate(n))
                {
                    using var stream = new MemoryStream(raw);
                    await client.Inbox.AppendAsync(new MailKit.AppendRequest(await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken), MailKit.MessageFlags.None), cancellationToken);
                }
                Report("appended to the mailbox (setup, not the measurement)", n, appendWatch.Elapsed);
                await client.DisconnectAsync(true, cancellationToken);
            }
            var work = Directory.CreateTempSubdirectory("reglament-bench-imap-").FullName;
            try
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = work }).Build();
                await using var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
                await Storage.PrepareAsync(services, cancellationToken);
                await using (var scope = services.CreateAsyncScope())
                    await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
                var intake = new ImapIntake(services.GetRequiredService<IServiceScopeFactory>(), Microsoft.Extensions.Options.Options.Create(new ImapOptions()), services.GetRequiredService<Coordination.WorkerLeases>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ImapIntake>.Instance);
                var watch = Stopwatch.StartNew();
                var taken = await intake.ProcessOnceAsync(mailbox, cancellationToken);
                Report("taken over IMAP into SQLite (fetch, pipeline, commit per 50, move)", taken, watch.Elapsed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  managed heap after the run: {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024} MB; working set {Environment.WorkingSet / 1024 / 1024} MB"));
                return taken == n ? ExitCodes.Ok : ExitCodes.Failure;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private static void Report(string what, int count, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {count} messages in {elapsed.TotalSeconds:F1} s = {count / elapsed.TotalSeconds:F0} msg/s"));
}

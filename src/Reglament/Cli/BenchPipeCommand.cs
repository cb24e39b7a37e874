using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Knowledge;
using Reglament.Mail;
using Reglament.Subscribers;

namespace Reglament.Cli;

/// <summary><c>reglament bench pipe</c>: the Postfix pipe's cost — N generated messages, each handed to its own
/// <c>reglament ingest</c> process on standard input (as the MTA does), one at a time and several in parallel, into a
/// fresh migrated SQLite database with the sample knowledge base. Reports CPU-seconds per message (what limits a
/// 2-core host under a mail burst) and messages per second. Figures in docs/performance.md.</summary>
public static class BenchPipeCommand
{
    public static Command Create(IClock clock)
    {
        var count = new Option<int>("--count") { Description = "Messages per run", DefaultValueFactory = _ => 100 };
        var parallel = new Option<int[]>("--parallel") { Description = "Deliveries at once, one run per value", DefaultValueFactory = _ => [1, 4], AllowMultipleArgumentsPerToken = true };
        var command = new Command("pipe", "Feed N generated messages to `reglament ingest`, one process per message, 1 and 4 at once; prints CPU-seconds per message") { count, parallel };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var n = parseResult.GetValue(count);
            var messages = BenchMail.Generate(n).ToList();
            var failed = 0;
            foreach (var degree in parseResult.GetValue(parallel)!)
            {
                var work = Directory.CreateTempSubdirectory("reglament-bench-pipe-").FullName;
                try
                {
                    await PrepareAsync(work, clock, cancellationToken);
                    var codes = new Dictionary<int, int>();
                    var cpuBefore = ChildrenCpuSeconds();
                    var watch = Stopwatch.StartNew();
                    await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken }, async (raw, token) =>
                    {
                        var code = await IngestAsync(raw, work, token);
                        lock (codes)
                            codes[code] = codes.GetValueOrDefault(code) + 1;
                    });
                    var wall = watch.Elapsed.TotalSeconds;
                    var cpu = ChildrenCpuSeconds() - cpuBefore;
                    failed += codes.Where(c => c.Key != ExitCodes.Ok).Sum(c => c.Value);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{n} messages, {degree} at once: {cpu / n:F3} CPU-s per message, {n / wall:F1} msg/s ({wall:F1} s wall, {cpu:F1} CPU-s); exit codes {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}"));
                }
                finally
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    Directory.Delete(work, recursive: true);
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>A desk as an operator has it before mail arrives: migrated (by <c>migrate</c> or <c>serve</c>), the
    /// bench subscribers, the sample knowledge base.</summary>
    private static async Task PrepareAsync(string dataDirectory, IClock clock, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory }).Build();
        await using var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider();
        await Storage.PrepareAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(BenchMail.SubscribersCsv()), clock.GetCurrentInstant(), cancellationToken);
        var kb = KnowledgeBaseFiles.Read(Path.Combine(DemoSeeder.DemoDirectory, "kb"));
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(kb.Articles, "bench", cancellationToken);
    }

    private static async Task<int> IngestAsync(byte[] raw, string dataDirectory, CancellationToken cancellationToken)
    {
        // The same executable as this one: the apphost when run as `reglament`, else `dotnet reglament.dll`.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(BenchPipeCommand).Assembly.Location);
        foreach (var a in new[] { "ingest", "--data-dir", dataDirectory })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.BaseStream.WriteAsync(raw, cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        await output;
        if (process.ExitCode != ExitCodes.Ok)
            await Console.Error.WriteLineAsync($"ingest exited {process.ExitCode}: {await error}");
        return process.ExitCode;
    }

    /// <summary>User + system CPU time of the child processes waited for (Linux: /proc/self/stat cutime and cstime,
    /// in clock ticks of 1/100 s) — every <c>ingest</c> process, none of this one's own work.</summary>
    private static double ChildrenCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Field 16 (cutime) and 17 (cstime) of proc(5); the array starts at field 3.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }
}

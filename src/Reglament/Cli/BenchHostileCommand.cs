using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using Reglament.Mail;

namespace Reglament.Cli;

/// <summary><c>reglament bench hostile</c>: issue #18's hostile corpus (<see cref="HostileCorpus"/>), each message in
/// its own <c>reglament ingest</c> process on standard input, as Postfix delivers it, into one prepared SQLite desk.
/// Prints per case the outcome, the elapsed time and the process's peak resident memory. A process per case because
/// peak memory is only honest per process: in one process the garbage of one case is still around for the next.
/// Figures in docs/performance.md («Hostile mail»).</summary>
public static class BenchHostileCommand
{
    private const string TimeTool = "/usr/bin/time";

    public static Command Create(IClock clock)
    {
        var only = new Option<string[]>("--case") { Description = "Only these cases (default: all)", AllowMultipleArgumentsPerToken = true };
        var keep = new Option<DirectoryInfo?>("--write-to") { Description = "Also keep the generated .eml files in this folder" };
        var command = new Command("hostile", "Ingest each message of the hostile corpus in its own `reglament ingest` process; prints outcome, elapsed time and peak RSS") { only, keep };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!File.Exists(TimeTool))
            {
                // GNU time reports the child's peak RSS from wait4(2); .NET's Process does not expose it.
                await Console.Error.WriteLineAsync($"reglament bench hostile: {TimeTool} is needed for the peak memory (apt-get install time)");
                return ExitCodes.Failure;
            }
            var names = parseResult.GetValue(only) is { Length: > 0 } chosen ? chosen : [.. HostileCorpus.Names];
            var work = Directory.CreateTempSubdirectory("reglament-bench-hostile-").FullName;
            try
            {
                var data = Path.Combine(work, "data");
                await BenchPipeCommand.PrepareAsync(data, clock, cancellationToken);
                // One ordinary message first: the first ingest in a data directory trains the judgement models and keeps
                // them, and that cost belongs to no case (a running desk has its models).
                var messages = BenchMail.Generate(3).ToList();
                var warm = await IngestAsync(messages[0], data, work, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"(an ordinary message, models trained)",-40} {warm.Outcome,-34} {warm.Seconds,6:F1} s {warm.PeakMb,5} MB"));
                var ordinary = await IngestAsync(messages[1], data, work, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"(an ordinary message: the process's own)",-40} {ordinary.Outcome,-34} {ordinary.Seconds,6:F1} s {ordinary.PeakMb,5} MB"));
                // The same intake in this process, for the time of intake alone (what Mail:Limits:MaxIntakeTime
                // budgets): a process's elapsed time includes the runtime's start, EF Core's model and the rules' models.
                var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["Policy:Authentication:Disabled"] = "true" };
                await using var services = new ServiceCollection().AddLogging().AddReglament(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), clock).BuildServiceProvider();
                // Its first message warms this process up (EF Core's model, the rules' models), which is no case's cost.
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(messages[2], cancellationToken: cancellationToken);
                Console.WriteLine($"{"case",-40} {"outcome",-34} {"process",8} {"peak RSS",8} {"intake in-process",18}");
                var failed = 0;
                foreach (var name in names)
                {
                    // An authorized contact of the bench's subscribers, so that the message goes the whole way.
                    var raw = HostileCorpus.Get(name, sender: "c1@bench.test");
                    if (parseResult.GetValue(keep) is { } folder)
                        await File.WriteAllBytesAsync(Path.Combine(folder.CreateSubdirectory(".").FullName, name + ".eml"), raw, cancellationToken);
                    var run = await IngestAsync(raw, data, work, cancellationToken);
                    raw = null;
                    // A fresh Message-ID, so this is not a duplicate of the one just stored.
                    var again = HostileCorpus.Get(name, sender: "c1@bench.test");
                    var watch = Stopwatch.StartNew();
                    await using (var scope = services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(again, cancellationToken: cancellationToken);
                    var inProcess = watch.Elapsed.TotalSeconds;
                    var within = run.ExitCode == ExitCodes.Ok && run.Seconds < 5 && run.PeakMb < 300;
                    failed += within ? 0 : 1;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name + $" ({again.Length / 1024} KiB)",-40} {run.Outcome,-34} {run.Seconds,6:F1} s {run.PeakMb,5} MB {inProcess,16:F2} s{(within ? "" : "  OVER (5 s, 300 MB)")}"));
                }
                return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private sealed record Run(int ExitCode, string Outcome, double Seconds, long PeakMb);

    /// <summary>One <c>reglament ingest</c> under GNU time, the message on its standard input from a file (so nothing
    /// of this process's pipe handling is in the figure). Elapsed and peak RSS are GNU time's (wait4's rusage).</summary>
    private static async Task<Run> IngestAsync(byte[] raw, string dataDirectory, string work, CancellationToken cancellationToken)
    {
        var input = Path.Combine(work, "message.eml");
        var measures = Path.Combine(work, "time.txt");
        await File.WriteAllBytesAsync(input, raw, cancellationToken);
        var start = new ProcessStartInfo(TimeTool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-o", measures, "-f", "%M %e" })
            start.ArgumentList.Add(a);
        // The same executable as this one: the apphost when run as `reglament`, else `dotnet reglament.dll`.
        var self = Environment.ProcessPath!;
        start.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(BenchHostileCommand).Assembly.Location);
        foreach (var a in new[] { "ingest", "--data-dir", dataDirectory })
            start.ArgumentList.Add(a);
        // The bench desk has no trusted authserv-id; the sender check is not what is measured.
        start.Environment["REGLAMENT_Policy__Authentication__Disabled"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await using (var file = File.OpenRead(input))
            await file.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        var stdout = await output;
        var measured = (await File.ReadAllTextAsync(measures, cancellationToken)).Trim().Split('\n')[^1].Split(' ');
        var outcome = "exit " + process.ExitCode;
        try
        {
            using var json = JsonDocument.Parse(stdout);
            outcome = json.RootElement.GetProperty("outcome").GetString() ?? outcome;
            if (json.RootElement.TryGetProperty("quarantineReason", out var reason))
                outcome += $" ({reason})";
        }
        catch (JsonException)
        {
            await Console.Error.WriteLineAsync($"ingest exited {process.ExitCode}: {await error}");
        }
        return new Run(process.ExitCode, outcome, double.Parse(measured[1], CultureInfo.InvariantCulture), long.Parse(measured[0], CultureInfo.InvariantCulture) / 1024);
    }
}

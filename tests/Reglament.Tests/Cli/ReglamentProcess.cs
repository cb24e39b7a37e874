using System.Diagnostics;

namespace Reglament.Tests.Cli;

/// <summary>Runs the real <c>reglament</c> executable, as an operator or an MTA would.</summary>
public static class ReglamentProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>The data directory as <c>reglament migrate</c> leaves it — the explicit step before the short commands,
    /// which only check the schema. The real executable migrates once per test run, into a template; every caller gets
    /// a copy of its database: a process start (5–10 s on a loaded machine) per test was the largest part of the
    /// CLI tests' time (docs/performance.md, «Where the test suite's time goes»). `migrate` itself is still run for
    /// real by the template and by the tests of its options.</summary>
    public static async Task MigrateAsync(string dataDir)
    {
        var template = await Migrated.Value;
        Directory.CreateDirectory(dataDir);
        foreach (var file in Directory.EnumerateFiles(template))
            File.Copy(file, Path.Combine(dataDir, Path.GetFileName(file)), overwrite: true);
        Infrastructure.TrainedModels.CopyInto(dataDir);
    }

    private static readonly Lazy<Task<string>> Migrated = new(async () =>
    {
        var template = Directory.CreateTempSubdirectory("reglament-migrated-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(template, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        var result = await RunAsync(["migrate", "--data-dir", template]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        return template;
    });

    public static async Task<Outcome> RunAsync(string[] args, byte[]? standardInput = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reglament.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
            await process.StandardInput.BaseStream.WriteAsync(standardInput);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A fixture stops what it started, also when the test fails: a hung command must not outlive the run.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Outcome(process.ExitCode, await output, await error);
    }
}

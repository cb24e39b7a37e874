using System.Diagnostics;

namespace Reglament.Tests.Cli;

/// <summary>Runs the real <c>reglament</c> executable, as an operator or an MTA would.</summary>
public static class ReglamentProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary><c>reglament migrate</c>: the explicit step before the short commands, which only check the schema.</summary>
    public static async Task MigrateAsync(string dataDir)
    {
        var result = await RunAsync(["migrate", "--data-dir", dataDir]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

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
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await output, await error);
    }
}

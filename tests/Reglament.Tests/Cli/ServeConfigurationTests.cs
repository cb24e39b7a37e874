using System.Diagnostics;

namespace Reglament.Tests.Cli;

/// <summary>Closed by default: <c>serve</c> with the embedded configuration and no trusted authserv-id does not
/// start (EX_CONFIG), rather than accept forged senders as their contacts.</summary>
public sealed class ServeConfigurationTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-serve-config-").FullName;

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    [Fact]
    public async Task Serve_WithoutATrustedAuthServId_RefusesToStart()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "reglament.dll"), "serve", "--data-dir", dataDir, "--urls", "http://127.0.0.1:0"])
            start.ArgumentList.Add(a);
        // The suite switches the check off for every process it starts (TestEnvironment); this one gets the default.
        start.Environment.Remove(Infrastructure.TestEnvironment.AuthenticationDisabled);
        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(Reglament.Cli.ServeCommand.ConfigurationError, process.ExitCode);
            Assert.Contains("Policy:Authentication:AuthServId", await error, StringComparison.Ordinal);
        }
        finally
        {
            // A serve that did start must not outlive the test.
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}

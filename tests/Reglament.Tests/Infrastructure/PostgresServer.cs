using System.Diagnostics;
using Npgsql;

[assembly: AssemblyFixture(typeof(Reglament.Tests.Infrastructure.PostgresServer))]

namespace Reglament.Tests.Infrastructure;

/// <summary>A real PostgreSQL for the whole test run: the one in REGLAMENT_TEST_POSTGRES, or a throwaway cluster
/// started with the project's scripts/pgstack.sh on a free loopback port and removed afterwards.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? clusterDirectory;

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("REGLAMENT_TEST_POSTGRES") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }
        var port = FreePort();
        var output = await Scripts.RunAsync("pgstack.sh", ["start"], new() { ["PGTEST_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        clusterDirectory = output.Split('\n').First(l => l.StartsWith("PGTEST_DIR=", StringComparison.Ordinal))["PGTEST_DIR=".Length..].Trim();
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    /// <summary>A connection string to a new, empty database on this server.</summary>
    public string NewDatabase() =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "rg_" + Guid.NewGuid().ToString("N")[..16] }.ToString();

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (clusterDirectory is null)
            return;
        await Scripts.RunAsync("pgstack.sh", ["stop"], new() { ["PGTEST_DIR"] = clusterDirectory });
        try { Directory.Delete(clusterDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Runs the project's own scripts from the repository root.</summary>
public static class Scripts
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reglament.slnx")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Reglament.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<string> RunAsync(string script, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", script));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
            start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}

using System.Text;
using System.Text.Json;
using Reglament.Tests.Cli;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Admin;

/// <summary><c>reglament quarantine list|release</c>: the quarantine page's release from a shell.</summary>
public sealed class QuarantineCliTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-quarantine-cli-").FullName;

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    private bool migrated;

    private async Task<ReglamentProcess.Outcome> Run(string[] args, byte[]? input = null)
    {
        if (!migrated)
        {
            await ReglamentProcess.MigrateAsync(Path.Combine(dataDir, "db"));
            migrated = true;
        }
        return await ReglamentProcess.RunAsync([.. args, "--data-dir", Path.Combine(dataDir, "db")], input);
    }

    private async Task ImportAsync(string csv)
    {
        var path = Path.Combine(dataDir, "subscribers.csv");
        await File.WriteAllTextAsync(path, csv, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Run(["subscribers", "import", path])).ExitCode);
    }

    [Fact]
    public async Task Release_RunsTheMessageThroughIntakeAgain_AndRecordsTheOutcome()
    {
        await ImportAsync(Requests.SubscribersCsv);
        var mail = Encoding.UTF8.GetBytes("From: stranger@example.com\r\nTo: support@example.ru\r\nSubject: Ошибка 502\r\nMessage-ID: <cli-q@example.com>\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nЛогин: u10001. С утра ошибка 502 на сайте.\r\n");
        var ingested = JsonDocument.Parse((await Run(["ingest"], mail)).Output).RootElement;
        Assert.Equal("Quarantined", ingested.GetProperty("outcome").GetString());
        var first = ingested.GetProperty("quarantineId").GetInt64();

        Assert.Contains("stranger@example.com", (await Run(["quarantine", "list"])).Output, StringComparison.Ordinal);
        var again = await Run(["quarantine", "release", first.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains($"#{first} released: quarantined again as #{first + 1}: UnknownSender", again.Output, StringComparison.Ordinal);

        await ImportAsync(Requests.SubscribersCsv.Replace("admin@romashka.test;it@romashka.test", "admin@romashka.test;it@romashka.test;stranger@example.com", StringComparison.Ordinal));
        var released = await Run(["quarantine", "release", (first + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(released.ExitCode == 0, released.Error);
        Assert.Contains("released: ticket RG-000001 created", released.Output, StringComparison.Ordinal);

        Assert.DoesNotContain("stranger@example.com", (await Run(["quarantine", "list"])).Output, StringComparison.Ordinal);
        Assert.Contains("released: ticket RG-000001 created", (await Run(["quarantine", "list", "--all"])).Output, StringComparison.Ordinal);
        var twice = await Run(["quarantine", "release", first.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(65, twice.ExitCode);
        Assert.Contains("released already", twice.Error, StringComparison.Ordinal);
    }
}

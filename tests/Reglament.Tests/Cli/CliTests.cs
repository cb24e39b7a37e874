using System.Text;
using System.Text.Json;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-cli-").FullName;
    private readonly string csv;

    public CliTests()
    {
        csv = Path.Combine(dataDir, "subscribers.csv");
        File.WriteAllText(csv, Requests.SubscribersCsv);
    }

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    private Task<ReglamentProcess.Outcome> Run(string[] args, byte[]? input = null) =>
        ReglamentProcess.RunAsync([.. args, "--data-dir", Path.Combine(dataDir, "db")], input);

    [Fact]
    public async Task Ingest_AnAuthorizedMessage_PrintsTheDecisionAsJson()
    {
        Assert.Equal(0, (await Run(["subscribers", "import", csv])).ExitCode);
        var mail = Encoding.UTF8.GetBytes(
            "From: =?utf-8?B?0JjQoi3QvtGC0LTQtdC7?= <it@romashka.test>\r\nTo: support@example.ru\r\nSubject: =?utf-8?B?0KHQsNC50YIg0L3QtSDRgNCw0LHQvtGC0LDQtdGC?=\r\n" +
            "Message-ID: <cli-1@romashka.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nЛогин: u10001. С утра ошибка 502 на сайте.\r\n");

        var result = await Run(["ingest"], mail);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("TicketCreated", json.GetProperty("outcome").GetString());
        Assert.Equal("RG-000001", json.GetProperty("ticket").GetString());
        Assert.Equal("Accepted", json.GetProperty("decision").GetString());

        var again = await Run(["ingest"], mail);
        Assert.Equal("Duplicate", JsonDocument.Parse(again.Output).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Ingest_AMessageWithoutSender_IsQuarantined_Exit65()
    {
        var result = await Run(["ingest"], "Subject: no sender\r\n\r\nbody"u8.ToArray());

        Assert.Equal(65, result.ExitCode);
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("Quarantined", json.GetProperty("outcome").GetString());
        Assert.Equal("Unparseable", json.GetProperty("quarantineReason").GetString());
    }

    [Fact]
    public async Task Ingest_EmptyInput_Exit66()
    {
        var result = await Run(["ingest"], []);
        Assert.Equal(66, result.ExitCode);
        Assert.Contains("standard input is empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_WhenStorageIsUnavailable_Exit75SoTheMtaRetries()
    {
        var blocker = Path.Combine(dataDir, "file");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var result = await ReglamentProcess.RunAsync(["ingest", "--data-dir", Path.Combine(blocker, "db")], "From: a@b.test\r\n\r\nx"u8.ToArray());

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("cannot be written", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribersImport_WithBadRows_ReportsEachAndImportsNothing()
    {
        var bad = Path.Combine(dataDir, "bad.csv");
        await File.WriteAllTextAsync(bad, "login,client_id,name,kind,status,services,registration_email,contacts\n" +
            "u1,1,A,Person,Active,Vps,a@a.test,a@a.test\n" +
            "u2,2,B,Robot,Active,Teleport,not-mail,b@b.test\n", TestContext.Current.CancellationToken);

        var result = await Run(["subscribers", "import", bad]);

        Assert.Equal(65, result.ExitCode);
        Assert.Contains("line 3", result.Error, StringComparison.Ordinal);
        Assert.Contains("Robot", result.Error, StringComparison.Ordinal);
        Assert.Contains("Teleport", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", result.Error, StringComparison.Ordinal);
        // The good row was not imported either: importing the good file now creates all four.
        Assert.Contains("4 created", (await Run(["subscribers", "import", csv])).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KbImport_ImportsTheSampleKnowledgeBase()
    {
        var result = await Run(["kb", "import", Path.Combine(AppContext.BaseDirectory, "DemoData", "kb")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("64 articles imported", result.Output, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public async Task Ingest_AnAuthorizedMessage_PrintsTheDecisionAsJson()
    {
        Assert.Equal(0, (await Run(["subscribers", "import", csv])).ExitCode);
        var mail = Encoding.UTF8.GetBytes(
            "From: =?utf-8?B?0JjQoi3QvtGC0LTQtdC7?= <it@romashka.test>\r\nTo: support@example.ru\r\nSubject: =?utf-8?B?0KHQsNC50YIg0L3QtSDRgNCw0LHQvtGC0LDQtdGC?=\r\n" +
            "Message-ID: <cli-1@romashka.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nЛогин: u10001. С утра сайт romashka.test отдаёт ошибку 502, ничего не меняли.\r\n");

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
    public async Task UsersAdd_ReadsThePasswordFromStandardInput_NeverPrintsIt_AndTheAccountSignsIn()
    {
        var created = await Run(["users", "add", "A.Smirnova", "--role", "Administrator", "--name", "Анна Смирнова"], "s3cret-пароль\n"u8.ToArray());
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("Created Administrator a.smirnova", created.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", created.Output + created.Error, StringComparison.Ordinal);
        Assert.Equal(64, (await Run(["users", "add", "b", "--role", "Engineer", "--name", "B"], [])).ExitCode);

        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = Path.Combine(dataDir, "db") }).Build();
        await using (var services = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(
            Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(new Microsoft.Extensions.DependencyInjection.ServiceCollection())
                .AddReglament(configuration, new NodaTime.Testing.FakeClock(TestDesk.Tuesday10Msk))))
        await using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(services))
        {
            var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Reglament.Staff.StaffAccounts>(scope.ServiceProvider);
            Assert.Equal(Reglament.Staff.StaffSignInResult.Failed, (await accounts.SignInAsync("a.smirnova", "wrong", cancellationToken: TestContext.Current.CancellationToken)).Result);
            var (result, user) = await accounts.SignInAsync("a.smirnova", "s3cret-пароль", cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(Reglament.Staff.StaffSignInResult.Success, result);
            Assert.Equal(Reglament.Staff.StaffRole.Administrator, user!.Role);
            Assert.DoesNotContain("s3cret", user.PasswordHash, StringComparison.Ordinal);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var updated = await Run(["users", "add", "a.smirnova", "--role", "Engineer", "--name", "Анна Смирнова", "--password", "другой"]);
        Assert.Contains("Updated Engineer a.smirnova", updated.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AMessageWithoutSender_IsQuarantined_Exit0BecauseTheDeskKeepsIt()
    {
        var result = await Run(["ingest"], "Subject: no sender\r\n\r\nbody"u8.ToArray());

        // 65 would make Postfix bounce a message that waits in quarantine for an administrator.
        Assert.Equal(0, result.ExitCode);
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
    public async Task KbImportExport_RoundTripsWithoutLoss()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "DemoData", "kb");
        var import = await Run(["kb", "import", sample]);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("64 articles read, 64 new or changed", import.Output, StringComparison.Ordinal);

        var exported = Path.Combine(dataDir, "export");
        Assert.Contains("64 articles written", (await Run(["kb", "export", exported])).Output, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sample, "*.md"))
            Assert.Equal(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), await File.ReadAllTextAsync(Path.Combine(exported, Path.GetFileName(file)), TestContext.Current.CancellationToken));

        Assert.Contains("64 articles read, 0 new or changed", (await Run(["kb", "import", exported])).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KbMatchBatch_RanksArticlesAndSaysWhetherItWouldAnswer()
    {
        Assert.Equal(0, (await Run(["kb", "import", Path.Combine(AppContext.BaseDirectory, "DemoData", "kb")])).ExitCode);
        var input = Encoding.UTF8.GetBytes(string.Join('\n',
            """{"id": 1, "text": "Здравствуйте! Как продлить домен example.ru? Срок заканчивается через неделю."}""",
            """{"id": "x"}""",
            """{"id": 3, "text": "абырвалг"}"""));

        var result = await Run(["kb", "match", "--batch"], input);

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("000029", lines[0].GetProperty("articles")[0].GetProperty("id").GetString());
        Assert.True(lines[1].TryGetProperty("error", out _));
        Assert.False(lines[2].GetProperty("answer").GetBoolean());
    }

    [Fact]
    public async Task SlaDue_AnswersInUtc_ForAnyOffset()
    {
        var friday = await ReglamentProcess.RunAsync(["sla", "due", "--received", "2024-04-26T16:30:00+03:00", "--criticality", "Critical"]);
        Assert.Equal("2024-04-27T05:30:00Z", friday.Output.Trim());

        // The same instant written in another offset gives the same deadline.
        var yekaterinburg = await ReglamentProcess.RunAsync(["sla", "due", "--received", "2024-04-26T18:30:00+05:00", "--criticality", "Critical", "--explain"]);
        Assert.StartsWith("2024-04-27T05:30:00Z", yekaterinburg.Output, StringComparison.Ordinal);
        Assert.Contains("worked  2024-04-27 Sat 07:00:00–08:30:00", yekaterinburg.Output, StringComparison.Ordinal);

        var bad = await ReglamentProcess.RunAsync(["sla", "due", "--received", "2024-04-26 16:30", "--criticality", "Critical"]);
        Assert.Equal(64, bad.ExitCode);
    }

    [Fact]
    public async Task SlaDueBatch_AnswersEveryLineInOrder_AndReportsBadLines()
    {
        var input = Encoding.UTF8.GetBytes(string.Join('\n',
            """{"received": "2024-04-26T16:30:00+03:00", "minutes": 120}""",
            """{"received": "2024-12-31T16:00:00Z", "criticality": "Low"}""",
            "not json",
            """{"received": "2024-04-26T16:30:00+03:00", "minutes": 60, "shortened": true}"""));

        var result = await ReglamentProcess.RunAsync(["sla", "due", "--batch"], input);

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("""{"due":"2024-04-27T05:30:00Z"}""", lines[0]);
        Assert.Equal("""{"due":"2025-01-13T08:00:00Z"}""", lines[1]);
        Assert.StartsWith("""{"error":""", lines[2], StringComparison.Ordinal);
        // 2024-04-27 is a working Saturday, not shortened; 16:30 Friday + 1 h → Saturday 07:30 MSK.
        Assert.Equal("""{"due":"2024-04-27T04:30:00Z"}""", lines[3]);
    }

    [Fact]
    public async Task CalendarImport_MakesTheYearKnown_AndShowPrintsIt()
    {
        var xml = Path.Combine(dataDir, "2031.xml");
        await File.WriteAllTextAsync(xml, """<?xml version="1.0" encoding="UTF-8"?><calendar year="2031" lang="ru"><days><day d="01.01" t="1"/><day d="01.02" t="1"/><day d="12.31" t="2"/></days></calendar>""", TestContext.Current.CancellationToken);

        var import = await Run(["calendar", "import", xml]);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("2031: imported (Verified)", import.Output, StringComparison.Ordinal);

        var show = await Run(["calendar", "show", "2031"]);
        Assert.Contains("2031 — Verified", show.Output, StringComparison.Ordinal);
        Assert.Contains("1!", show.Output, StringComparison.Ordinal);
        Assert.Contains("31*", show.Output, StringComparison.Ordinal);

        var broken = Path.Combine(dataDir, "broken.xml");
        await File.WriteAllTextAsync(broken, "<calendar", TestContext.Current.CancellationToken);
        Assert.Equal(65, (await Run(["calendar", "import", broken])).ExitCode);
    }

    [Fact]
    public async Task CalendarCheck_FailsWhenTheCurrentOrFromOctoberTheNextYearIsMissing()
    {
        var september = await Run(["calendar", "check", "--on", "2027-09-30"]);
        Assert.Equal(0, september.ExitCode);
        Assert.Contains("2027: PROVISIONAL", september.Output, StringComparison.Ordinal);

        var october = await Run(["calendar", "check", "--on", "2027-10-01"]);
        Assert.Equal(1, october.ExitCode);
        Assert.Contains("2028: MISSING", october.Output, StringComparison.Ordinal);

        Assert.Equal(1, (await Run(["calendar", "check", "--on", "2029-03-01"])).ExitCode);
    }
}

using System.Text;
using System.Text.Json;
using Reglament.Tests.Cli;

namespace Reglament.Tests.Policy;

/// <summary><c>reglament screen --batch</c> and <c>reglament text rudeness --batch</c> as processes.</summary>
public sealed class PolicyCliTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("reglament-policy-cli-").FullName;

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    private bool migrated;

    private async Task<ReglamentProcess.Outcome> Run(string[] args, string? input = null)
    {
        if (!migrated)
        {
            await ReglamentProcess.MigrateAsync(Path.Combine(dataDir, "db"));
            migrated = true;
        }
        return await ReglamentProcess.RunAsync([.. args, "--data-dir", Path.Combine(dataDir, "db")], input is null ? null : Encoding.UTF8.GetBytes(input));
    }

    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public async Task ScreenBatch_DecidesEachLine_StoresNothing_AndABadLineGetsAnError()
    {
        var csv = Path.Combine(dataDir, "subscribers.csv");
        await File.WriteAllTextAsync(csv, PolicyTable.SubscribersCsv, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Run(["subscribers", "import", csv])).ExitCode);
        var input = string.Join("\n",
            """{"id":1,"from":"alfa@alfa.test","subject":"Сайт","body":"Логин u20001. Срочно: с утра сайт alfa.test отдаёт ошибку 502, ничего не меняли."}""",
            """{"id":2,"from":"Альфа <alfa@alfa.test>","subject":"Доработка сайта","body":"Логин u20001. Помогите, пожалуйста, с кодом: нужно написать PHP-скрипт выгрузки заказов из нашего интернет-магазина в 1С и поправить CSS шаблона темы WordPress, чтобы карточки товаров шли в три колонки."}""",
            """{"id":3,"from":"beta@beta.test","subject":"Лимит","body":"Логин u20003. Увеличьте memory_limit."}""",
            "{broken",
            """{"id":"x","subject":"no sender"}""",
            """{"id":6,"from":"it@alfa.test","subject":"Сайт","body":"Логин u20001, alfa@alfa.test. Не работает.","authentication_results":["a; dmarc=fail"]}""");

        var result = await Run(["screen", "--batch"], input);

        Assert.Equal(65, result.ExitCode);
        var lines = Lines(result.Output);
        Assert.Equal(6, lines.Count);
        Assert.Equal("accepted", lines[0].GetProperty("decision").GetString());
        Assert.Equal("Urgent", lines[0].GetProperty("criticality").GetString());
        Assert.Equal(["R5", "R11b"], lines[1].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("OutOfScope", lines[1].GetProperty("type").GetString());
        Assert.Equal(["R11c"], lines[2].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.True(lines[3].TryGetProperty("error", out _));
        Assert.Equal("x", lines[4].GetProperty("id").GetString());
        Assert.True(lines[4].TryGetProperty("error", out _));
        Assert.Equal("needs-info", lines[5].GetProperty("decision").GetString());

        // Nothing was stored: screening the same request again gives the same, and ingest numbers from 1.
        var again = await Run(["screen", "--batch"], """{"id":1,"from":"it@alfa.test","subject":"Сайт","body":"Логин u20001. С утра ошибка 502 на сайте."}""");
        Assert.Equal(0, again.ExitCode);
        var mail = "From: it@alfa.test\r\nSubject: test\r\nMessage-ID: <s1@alfa.test>\r\n\r\nЛогин u20001. С утра ошибка 502 на сайте.\r\n";
        var ingested = await ReglamentProcess.RunAsync(["ingest", "--data-dir", Path.Combine(dataDir, "db")], Encoding.UTF8.GetBytes(mail));
        Assert.Equal("RG-000001", JsonDocument.Parse(ingested.Output).RootElement.GetProperty("ticket").GetString());
    }

    [Fact]
    public async Task TextRudenessBatch_ReportsKindAndFragments()
    {
        var result = await Run(["text", "rudeness", "--batch"],
            "{\"id\":1,\"text\":\"Вы идиоты\"}\n{\"id\":2,\"text\":\"Небо, хлеб, корабль, команда\"}\n{\"id\":3,\"text\":\"х**ня\"}\n[1,2]\n{\"id\":5,\"text\":42}\n");

        Assert.Equal(65, result.ExitCode);
        var lines = Lines(result.Output);
        Assert.Equal(5, lines.Count);
        Assert.Equal("insult", lines[0].GetProperty("kind").GetString());
        Assert.Equal("идиоты", lines[0].GetProperty("evidence")[0].GetProperty("fragment").GetString());
        Assert.False(lines[1].GetProperty("rude").GetBoolean());
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("kind").ValueKind);
        Assert.Equal("obscene", lines[2].GetProperty("kind").GetString());
        Assert.True(lines[3].TryGetProperty("error", out _));
        Assert.Equal(5, lines[4].GetProperty("id").GetInt32());
        Assert.True(lines[4].TryGetProperty("error", out _));
    }
}

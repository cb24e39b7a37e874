using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Policy;

/// <summary>POST /api/tickets/{number}/decision over HTTP: an engineer overrides the rules with a comment.</summary>
public sealed class DecisionOverrideTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-override-").FullName;
    private WebApplication app = null!;
    private HttpClient client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory, ["Api:Keys:0"] = Key },
            new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        await Storage.PrepareAsync(app.Services, Token);
        await using (var scope = app.Services.CreateAsyncScope())
            await SubscriberCsv.ImportAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), new StringReader(PolicyTable.SubscribersCsv), TestDesk.Tuesday10Msk);
        await app.StartAsync(Token);
        client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<string> FileAsync(string body)
    {
        var created = await client.PostAsJsonAsync("/api/requests", new { sender = PolicyTable.A, subject = "Запрос", body }, Token);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("ticket").GetString()!;
    }

    [Fact]
    public async Task RefusedOutOfScope_OverriddenToAccepted_GetsADeadline_AndTheAuditRecordsWhoAndWhy()
    {
        var number = await FileAsync("Логин u20001. Настройте WordPress: после смены темы ошибка 500.");

        var response = await client.PostAsJsonAsync($"/api/tickets/{number}/decision",
            new { outcome = "accepted", engineer = "a.smirnova", comment = "Ошибка 500 — проблема хостинга, не настройка CMS." }, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);
        Assert.Equal("Open", ticket.GetProperty("ticket").GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, ticket.GetProperty("ticket").GetProperty("responseDeadline").ValueKind);
        var decisions = ticket.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(2, decisions.Count);
        Assert.Contains(decisions, d => d.GetProperty("decidedBy").GetString() == "rules" && d.GetProperty("outcome").GetString() == "Refused");
        Assert.Contains(decisions, d => d.GetProperty("decidedBy").GetString() == "a.smirnova" && d.GetProperty("comment").GetString()!.Contains("CMS", StringComparison.Ordinal));
        Assert.Contains(ticket.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "decision.overridden" && a.GetProperty("actor").GetString() == "a.smirnova");
    }

    [Fact]
    public async Task AcceptedRequest_OverriddenToRefused_NeedsAReason()
    {
        var number = await FileAsync("Логин u20001. С утра ошибка 502 на сайте.");

        var withoutReason = await client.PostAsJsonAsync($"/api/tickets/{number}/decision", new { outcome = "refused", engineer = "e", comment = "грубость в звонке" }, Token);
        var withReason = await client.PostAsJsonAsync($"/api/tickets/{number}/decision", new { outcome = "refused", reasons = new[] { "R11d" }, engineer = "e", comment = "грубость в звонке" }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withReason.StatusCode);
        var stored = await WithDbAsync(db => db.Tickets.AsNoTracking().SingleAsync());
        Assert.Equal(TicketStatus.Refused, stored.Status);
        // As a refusal at intake: the ticket keeps its deadline and the engineer's refusal is the response it measures.
        Assert.NotNull(stored.ResponseDeadline);
        Assert.NotNull(stored.FirstRespondedAt);
    }

    [Theory]
    [InlineData("""{"outcome":"accepted","engineer":"e"}""")]
    [InlineData("""{"outcome":"maybe","engineer":"e","comment":"c"}""")]
    [InlineData("""{"outcome":"refused","reasons":["R99"],"engineer":"e","comment":"c"}""")]
    [InlineData("""{"outcome":"accepted","comment":"c"}""")]
    public async Task InvalidOverride_Is400_AndChangesNothing(string json)
    {
        var number = await FileAsync("Логин u20001. С утра ошибка 502 на сайте.");
        var response = await client.PostAsync($"/api/tickets/{number}/decision", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, await WithDbAsync(db => db.Decisions.CountAsync()));
    }

    [Fact]
    public async Task UnknownTicket_Is404()
    {
        var response = await client.PostAsJsonAsync("/api/tickets/RG-000999/decision", new { outcome = "accepted", engineer = "e", comment = "c" }, Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>The REST API over HTTP, with the real application and the demo data.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private DemoWebApp web = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new()
        {
            ["Api:Keys:0"] = Key,
            // These tests are about tickets engineers handle; automatic answers have their own tests.
            ["Knowledge:AutoAnswer"] = "false",
        });
        client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    private WebApplication app => web.App;

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await web.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A complete report of u10004's mail (the error text attached), which the rules accept.</summary>
    private static readonly object MailReport = new
    {
        sender = "petrova@example.net",
        subject = "Не работает почта",
        body = "Логин: u10004. С утра письма с ящика petrova@example.net не уходят, ошибка 550.",
        attachments = new[] { new { fileName = "error.txt", contentType = "text/plain", content = Convert.ToBase64String("550 5.7.1"u8.ToArray()) } },
    };

    [Fact]
    public async Task CreateRequest_ThenGetTicket_ShowsDecisionAndMessages()
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("Accepted", body.GetProperty("decision").GetString());
        var number = body.GetProperty("ticket").GetString()!;
        Assert.Equal($"/api/tickets/{number}", created.Headers.Location!.ToString());

        var ticket = await client.GetFromJsonAsync<JsonElement>(created.Headers.Location, Token);
        Assert.Equal(number, ticket.GetProperty("ticket").GetProperty("number").GetString());
        Assert.Equal("Incident", ticket.GetProperty("ticket").GetProperty("type").GetString());
        // Mail from one mailbox that does not leave is Normal: 8 working hours from Tuesday 10:00 MSK, Wednesday 08:00 MSK.
        Assert.Equal("2024-04-24T05:00:00Z", ticket.GetProperty("ticket").GetProperty("responseDeadline").GetString());
        var message = ticket.GetProperty("messages")[0];
        Assert.Equal("error.txt", message.GetProperty("attachments")[0].GetProperty("fileName").GetString());
        Assert.Contains(ticket.GetProperty("decisions")[0].GetProperty("evidence").EnumerateArray(), e => e.GetProperty("clause").GetString() == "R6");
    }

    [Fact]
    public async Task MalformedJson_IsAProblem_AndStoresNothing()
    {
        var before = await TicketCountAsync();
        using var content = new StringContent("{\"sender\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/requests", content, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task InvalidFields_AreAValidationProblemNamingEachField()
    {
        var response = await client.PostAsJsonAsync("/api/requests", new { sender = "not an address", attachments = new[] { new { fileName = "x", content = "%%%" } } }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sender", out _));
        Assert.True(errors.TryGetProperty("body", out _));
        Assert.True(errors.TryGetProperty("attachments[0]", out _));
    }

    [Fact]
    public async Task UnknownSender_Is422_WithTheQuarantineId()
    {
        var response = await client.PostAsJsonAsync("/api/requests", new { sender = "stranger@nowhere.test", subject = "Привет", body = "логин u10001" }, Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Contains("not an authorized contact", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("UnknownSender", problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("quarantineId").GetInt64() > 0);
    }

    [Fact]
    public async Task WithoutAKey_TheApiRefuses()
    {
        using var anonymous = app.GetTestClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tickets", Token)).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tickets", Token)).StatusCode);
    }

    [Fact]
    public async Task ListTickets_IsPagedAndSortedByDeadline()
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/tickets?pageSize=2", Token);
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        var deadlines = page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("responseDeadline").GetString()).ToList();
        Assert.Equal(2, deadlines.Count);
        Assert.Equal(deadlines.Order(StringComparer.Ordinal), deadlines);

        var bad = await client.GetAsync("/api/tickets?pageSize=100000", Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task UnknownTicket_Is404Problem()
    {
        var response = await client.GetAsync("/api/tickets/RG-999999", Token);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task HealthAndOpenApi_AreServedWithoutAKey()
    {
        using var anonymous = app.GetTestClient();
        var health = await anonymous.GetFromJsonAsync<JsonElement>("/healthz", Token);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var openApi = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Token);
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/requests", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/tickets/{number}", out _));
    }

    [Fact]
    public async Task DemoDesk_ShowsTheQueueTicketsAndKnowledgeBase()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("RG-000001", queue, StringComparison.Ordinal);
        var ticket = await browser.GetStringAsync("/desk/ticket/RG-000001");
        Assert.Contains("R6", ticket, StringComparison.Ordinal);
        Assert.Contains("Статьи базы знаний", ticket, StringComparison.Ordinal);
        var article = await browser.GetStringAsync("/kb/article/000032");
        Assert.Contains("Как правильно составить обращение", article, StringComparison.Ordinal);
        Assert.Contains("/kb/article/000032", await browser.GetStringAsync("/kb"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/kb/article/999999")).StatusCode);
    }

    [Fact]
    public async Task TicketDetails_ExplainTheDeadline_AndShowTheSlaState()
    {
        var created = await client.PostAsJsonAsync("/api/requests", new { sender = "petrova@example.net", subject = "Сайт не работает", body = "Логин: u10004. С утра сайт petrova.example.net не работает: при открытии любой страницы браузер показывает ошибку 502 Bad Gateway." }, Token);
        var ticket = await client.GetFromJsonAsync<JsonElement>(created.Headers.Location, Token);

        Assert.Equal("OnTrack", ticket.GetProperty("ticket").GetProperty("sla").GetString());
        var deadline = ticket.GetProperty("deadline");
        // A whole site down is Critical (the operator's reading of R12): 2 working hours from Tuesday 10:00 MSK.
        Assert.Equal("2024-04-23T09:00:00Z", deadline.GetProperty("due").GetString());
        var period = Assert.Single(deadline.GetProperty("consumed").EnumerateArray());
        Assert.Equal("2024-04-23", period.GetProperty("date").GetString());
        Assert.Equal("10:00:00", period.GetProperty("from").GetString());
        Assert.Equal("12:00:00", period.GetProperty("to").GetString());
    }

    [Fact]
    public async Task ChangeCriticality_NeedsAReason_AndRecomputesTheDeadline()
    {
        // A complete report, so the clock runs (a request waiting for R8 information keeps no deadline whatever its criticality).
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);
        Assert.Equal("Accepted", (await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("decision").GetString());
        var url = created.Headers.Location + "/criticality";

        var missing = await client.PostAsJsonAsync(url, new { criticality = "Critical" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var changed = await client.PostAsJsonAsync(url, new { criticality = "Critical", reason = "магазин стоит" }, Token);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var ticket = await changed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("Critical", ticket.GetProperty("ticket").GetProperty("criticality").GetString());
        Assert.Equal("2024-04-23T09:00:00Z", ticket.GetProperty("deadline").GetProperty("due").GetString());
        Assert.Contains(ticket.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "criticality.changed"
            && a.GetProperty("details").GetString()!.Contains("магазин стоит", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Assignee_IsAnyActiveStaffAccountOrNobody_AndAudited()
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);
        var url = created.Headers.Location + "/assignee";

        var unknown = await client.PostAsJsonAsync(url, new { assignee = "nobody-here" }, Token);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var assigned = await client.PostAsJsonAsync(url, new { assignee = "engineer" }, Token);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var ticket = await assigned.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("engineer", ticket.GetProperty("ticket").GetProperty("assignee").GetString());
        var number = ticket.GetProperty("ticket").GetProperty("number").GetString();
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/tickets?assignee=engineer", Token);
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), t => t.GetProperty("number").GetString() == number);

        var released = await client.PostAsJsonAsync(url, new { assignee = (string?)null }, Token);
        ticket = await released.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("ticket").GetProperty("assignee").ValueKind);
        var actions = ticket.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["assigned", "unassigned"], actions.Where(a => a is "assigned" or "unassigned"));
    }

    [Fact]
    public async Task TicketMessages_ListBothDirections_WithTheirKindInTimeOrder()
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);
        var url = created.Headers.Location!.ToString();

        var replied = await client.PostAsJsonAsync(url + "/reply", new { text = "Здравствуйте! Проверьте SPF-запись домена.", engineer = "a.smirnova" }, Token);

        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        var ticket = await client.GetFromJsonAsync<JsonElement>(url, Token);
        var messages = ticket.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("Inbound", messages[0].GetProperty("direction").GetString());
        Assert.Equal("petrova@example.net", messages[0].GetProperty("author").GetString());
        var reply = Assert.Single(messages, m => m.GetProperty("kind").GetString() == "EngineerReply");
        Assert.Equal("Outbound", reply.GetProperty("direction").GetString());
        Assert.Equal("petrova@example.net", reply.GetProperty("to").GetString());
        Assert.Contains("SPF", reply.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.False(reply.GetProperty("automatic").GetBoolean());
        // The acknowledgement intake mailed is in the thread too, automatic, and nothing else than the two directions.
        Assert.Contains(messages, m => m.GetProperty("kind").GetString() == "Acknowledgement" && m.GetProperty("automatic").GetBoolean());
        Assert.All(messages, m => Assert.Contains(m.GetProperty("direction").GetString(), new[] { "Inbound", "Outbound", "InternalNote" }));
        var times = messages.Select(m => NodaTime.Text.InstantPattern.ExtendedIso.Parse(m.GetProperty("at").GetString()!).Value).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal("Inbound", messages[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Reply_MovesTheTicketToAwaitingSubscriber_IsTheResponse_AndTheSubscribersAnswerReopensIt()
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);
        var url = created.Headers.Location!.ToString();
        var number = (await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("ticket").GetString()!;

        var replied = await (await client.PostAsJsonAsync(url + "/reply", new { text = "Проверьте SPF.", engineer = "a.smirnova" }, Token)).Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal("AwaitingSubscriber", replied.GetProperty("ticket").GetProperty("status").GetString());
        // The reply is the response the deadline measures; waiting for the subscriber after it does not pause the clock.
        var deadline = replied.GetProperty("deadline");
        Assert.Equal("EngineerReply", deadline.GetProperty("response").GetProperty("kind").GetString());
        Assert.False(deadline.GetProperty("paused").GetBoolean());
        Assert.Equal("Met", replied.GetProperty("ticket").GetProperty("sla").GetString());

        var answer = await client.PostAsJsonAsync("/api/requests", new { sender = "petrova@example.net", subject = $"Re: [{number}] Не работает почта", body = "Не помогло, письма всё ещё не уходят." }, Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var reopened = await client.GetFromJsonAsync<JsonElement>(url, Token);
        Assert.Equal("Open", reopened.GetProperty("ticket").GetProperty("status").GetString());
        // Answered, then «не помогло»: a fresh deadline waits for a fresh response (docs/working-time.md, reopened).
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("deadline").GetProperty("response").ValueKind);
        Assert.Equal(JsonValueKind.String, reopened.GetProperty("ticket").GetProperty("responseDeadline").ValueKind);
    }

    [Fact]
    public async Task Reply_WithoutText_IsAValidationProblemNamingTheField_AndSendsNothing()
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);

        var response = await client.PostAsJsonAsync(created.Headers.Location + "/reply", new { text = " " }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("text", out _));
        Assert.True(errors.TryGetProperty("engineer", out _));
        var ticket = await client.GetFromJsonAsync<JsonElement>(created.Headers.Location, Token);
        Assert.DoesNotContain(ticket.GetProperty("messages").EnumerateArray(), m => m.GetProperty("kind").GetString() == "EngineerReply");
    }

    [Theory]
    [InlineData("/criticality", """{"criticality": "Catastrophic", "reason": "x"}""", "criticality")]
    [InlineData("/criticality", """{"criticality": "Critical", "reason": 42}""", "reason")]
    [InlineData("/decision", """{"outcome": "accepted", "engineer": "a.smirnova"}""", "comment")]
    [InlineData("/decision", """{"outcome": "accepted", "reasons": "R11b", "engineer": "a", "comment": "c"}""", "reasons")]
    [InlineData("/review", """{"action": "maybe", "engineer": "a"}""", "action")]
    [InlineData("/reply", """{"text": ["a"], "engineer": "a"}""", "text")]
    public async Task WrongFields_AreValidationProblemsNamingTheField(string endpoint, string json, string field)
    {
        var created = await client.PostAsJsonAsync("/api/requests", MailReport, Token);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(created.Headers.Location + endpoint, content, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task AQueryParameterOfTheWrongType_IsAValidationProblemNamingIt()
    {
        var response = await client.GetAsync("/api/tickets?page=abc", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _), problem.ToString());
    }

    [Fact]
    public async Task Json_KeepsCyrillicReadable_AndHtmlCharactersEscaped()
    {
        var created = await client.PostAsJsonAsync("/api/requests", new { sender = "petrova@example.net", subject = "Не работает <b>почта</b> & \"сайт\"", body = "Логин: u10004. С утра письма с ящика petrova@example.net не уходят, ошибка 550." }, Token);

        var raw = await client.GetStringAsync(created.Headers.Location, Token);

        Assert.Contains("Не работает", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u041D", raw, StringComparison.Ordinal);
        Assert.Contains("\\u003Cb\\u003E", raw, StringComparison.Ordinal);
        Assert.Contains("\\u0026", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeBasePages_SearchBrowseAndRevalidate()
    {
        using var browser = app.GetTestClient();
        var found = await browser.GetStringAsync("/kb/search?q=" + Uri.EscapeDataString("не продлевается сертификата"), Token);
        Assert.Contains("/kb/article/000039", found, StringComparison.Ordinal);
        var category = await browser.GetStringAsync("/kb/category/" + Uri.EscapeDataString("Почта"), Token);
        Assert.Contains("/kb/article/000042", category, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/kb/category/nope", Token)).StatusCode);

        var first = await browser.GetAsync("/kb/article/000032", Token);
        var etag = first.Headers.ETag!;
        Assert.NotNull(first.Content.Headers.LastModified);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/kb/article/000032");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await browser.SendAsync(again, Token)).StatusCode);
    }

    private Task<int> TicketCountAsync() => app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.CountAsync(Token);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>The review band («на проверку») over HTTP: the API's review endpoint and ticket view, the ticket page's block
/// with its two buttons, and the queue's marker and filter. A request whose subject carries
/// <see cref="ProposedRefusals.Marker"/> gets a doubtful R11d (confidence 0.5) from a stand-in stage.</summary>
public sealed class ReviewBandTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private DemoWebApp web = null!;
    private HttpClient api = null!;
    private StaffBrowser browser = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Api:Keys:0"] = Key }, b => ProposedRefusals.Use(b.Services));
        api = web.App.GetTestClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        browser = new StaffBrowser(web.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        api.Dispose();
        await web.DisposeAsync();
    }

    private async Task<string> FileAsync(bool doubtful = true)
    {
        var created = await api.PostAsJsonAsync("/api/requests", new
        {
            sender = "petrova@example.net",
            subject = (doubtful ? ProposedRefusals.Marker + " " : "") + "Не работает почта",
            body = "Логин: u10004. С 9:00 письма с ящика petrova@example.net не уходят, сервер отвечает ошибкой 550 5.7.1. Ничего не меняли.",
        }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("Accepted", body.GetProperty("decision").GetString());
        return body.GetProperty("ticket").GetString()!;
    }

    private Task<HttpResponseMessage> ReviewAsync(string number, object body) => api.PostAsJsonAsync($"/api/tickets/{number}/review", body, Token);

    private Task<JsonElement> TicketAsync(string number) => api.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = web.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private static long Id(string number) => TicketNumber.TryParse(number, out var parsed) ? parsed.Value.Value : throw new ArgumentException(number);

    private Task<Ticket> StoredAsync(string number) => WithDbAsync(db =>
        db.Tickets.AsNoTracking().Include(t => t.Decisions).Include(t => t.AuditEvents).SingleAsync(t => t.Id == Id(number), Token));

    [Fact]
    public async Task Api_TicketShowsTheProposal_AndTheListFiltersTheFlaggedOnes()
    {
        var flagged = await FileAsync();
        await FileAsync(doubtful: false);

        var ticket = await TicketAsync(flagged);
        Assert.Equal("Pending", ticket.GetProperty("ticket").GetProperty("review").GetString());
        var review = ticket.GetProperty("review");
        Assert.Equal("Pending", review.GetProperty("state").GetString());
        Assert.Equal(["R11d"], review.GetProperty("proposed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(0.5, review.GetProperty("confidence").GetDouble());
        Assert.Contains(review.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("fragment").GetString() == ProposingStage.Fragment);
        Assert.Equal(JsonValueKind.Null, review.GetProperty("reviewedBy").ValueKind);
        var decision = ticket.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal("Accepted", decision.GetProperty("outcome").GetString());
        Assert.Equal(["R11d"], decision.GetProperty("proposed").EnumerateArray().Select(c => c.GetString()));

        var pending = await api.GetFromJsonAsync<JsonElement>("/api/tickets?review=Pending", Token);
        Assert.Equal([flagged], pending.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetString()));
    }

    [Fact]
    public async Task Api_Confirm_RefusesAndMails_ThenASecondConfirmIs409()
    {
        var number = await FileAsync();

        var confirmed = await ReviewAsync(number, new { action = "confirm", engineer = "a.smirnova", comment = "грубость" });
        var again = await ReviewAsync(number, new { action = "confirm", engineer = "b.petrov" });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var body = await confirmed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(("Confirmed", "Refused"), (body.GetProperty("review").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(["R11d"], body.GetProperty("decision").GetProperty("reasons").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("a.smirnova", body.GetProperty("decision").GetProperty("decidedBy").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);
        Assert.Contains("already confirmed", (await again.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var ticket = await TicketAsync(number);
        Assert.Equal("Refused", ticket.GetProperty("ticket").GetProperty("status").GetString());
        Assert.Equal(("Confirmed", "a.smirnova"), (ticket.GetProperty("review").GetProperty("state").GetString(), ticket.GetProperty("review").GetProperty("reviewedBy").GetString()));
        Assert.Contains(ticket.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "review.confirmed" && a.GetProperty("actor").GetString() == "a.smirnova");
        var kinds = await WithDbAsync(db => db.Outbox.Where(o => o.TicketId == Id(number)).OrderBy(o => o.Id).Select(o => o.Kind).ToListAsync(Token));
        Assert.Equal([OutgoingKind.Acknowledgement, OutgoingKind.Refusal], kinds);
    }

    [Fact]
    public async Task Api_Dismiss_KeepsItAccepted_AndIsAudited()
    {
        var number = await FileAsync();

        var dismissed = await ReviewAsync(number, new { action = "dismiss", engineer = "a.smirnova" });

        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var body = await dismissed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(("Dismissed", "New"), (body.GetProperty("review").GetString(), body.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("decision").ValueKind);
        var stored = await StoredAsync(number);
        Assert.Equal((ReviewState.Dismissed, TicketStatus.New, 1), (stored.Review, stored.Status, stored.Decisions.Count));
        Assert.Contains(stored.AuditEvents, a => a.Action == "review.dismissed" && a.Actor == "a.smirnova");
    }

    [Theory]
    [InlineData("""{"action":"maybe","engineer":"e"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"action":"confirm"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"action":"dismiss","engineer":"  "}""", HttpStatusCode.BadRequest)]
    public async Task Api_InvalidReview_IsRejected_AndChangesNothing(string json, HttpStatusCode expected)
    {
        var number = await FileAsync();
        var response = await api.PostAsync($"/api/tickets/{number}/review", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Token);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(ReviewState.Pending, (await StoredAsync(number)).Review);
    }

    [Fact]
    public async Task Api_ReviewNeedsAKey_AndAnExistingTicket_WithAProposal()
    {
        var number = await FileAsync();
        var plain = await FileAsync(doubtful: false);
        using var anonymous = web.App.GetTestClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/tickets/{number}/review", new { action = "confirm", engineer = "e" }, Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReviewAsync("RG-999999", new { action = "confirm", engineer = "e" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ReviewAsync(plain, new { action = "dismiss", engineer = "e" })).StatusCode);
        Assert.Equal(ReviewState.Pending, (await StoredAsync(number)).Review);
    }

    [Fact]
    public async Task Api_ReviewIsInTheOpenApiDocument()
    {
        var openApi = await api.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Token);
        Assert.True(openApi.GetProperty("paths").GetProperty("/api/tickets/{number}/review").TryGetProperty("post", out _));
        Assert.True(openApi.GetProperty("components").GetProperty("schemas").TryGetProperty("ReviewRequest", out _));
    }

    [Fact]
    public async Task Page_ShowsTheProposalAtTheTop_WithEvidenceAndBothButtons()
    {
        var number = await FileAsync();

        var page = await browser.GetStringAsync($"/desk/ticket/{number}");

        var block = page[page.IndexOf("<section class=\"review\"", StringComparison.Ordinal)..];
        Assert.True(page.IndexOf("<section class=\"review\"", StringComparison.Ordinal) < page.IndexOf("<section class=\"actions\"", StringComparison.Ordinal), "the block comes before the forms");
        block = block[..block.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("На проверку", block, StringComparison.Ordinal);
        Assert.Contains("R11d", block, StringComparison.Ordinal);
        Assert.Contains("грубая или нецензурная форма обращения", block, StringComparison.Ordinal);
        Assert.Contains("0.50", block, StringComparison.Ordinal);
        Assert.Contains("0.80", block, StringComparison.Ordinal);
        Assert.Contains(ProposingStage.Fragment, block, StringComparison.Ordinal);
        Assert.Contains("Подтвердить отказ", block, StringComparison.Ordinal);
        Assert.Contains("Отклонить предложение", block, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", block, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Dismiss_InOneClick_ThenASecondClickShowsTheProblem()
    {
        var number = await FileAsync();
        var url = $"/desk/ticket/{number}";

        var dismissed = await browser.SubmitAsync(url, url + "?handler=Review", new Dictionary<string, string> { ["ReviewChoice"] = "Dismiss" });
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        var stored = await StoredAsync(number);
        Assert.Equal((ReviewState.Dismissed, TicketStatus.New), (stored.Review, stored.Status));
        Assert.Contains(stored.AuditEvents, a => a.Action == "review.dismissed" && a.Actor == "engineer");

        var page = await browser.GetStringAsync(url);
        Assert.DoesNotContain("<section class=\"review\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"review-settled\"", page, StringComparison.Ordinal);
        Assert.Contains("отклонён", page, StringComparison.Ordinal);

        var again = await browser.SubmitAsync(url, url + "?handler=Review", new Dictionary<string, string> { ["ReviewChoice"] = "Confirm" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("already dismissed", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(TicketStatus.New, (await StoredAsync(number)).Status);
    }

    [Fact]
    public async Task Page_Confirm_RefusesTheTicket_AsTheSignedInEngineer()
    {
        var number = await FileAsync();
        var url = $"/desk/ticket/{number}";

        var confirmed = await browser.SubmitAsync(url, url + "?handler=Review", new Dictionary<string, string> { ["ReviewChoice"] = "Confirm", ["ReviewComment"] = "мат в письме" });

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var stored = await StoredAsync(number);
        Assert.Equal((ReviewState.Confirmed, TicketStatus.Refused), (stored.Review, stored.Status));
        Assert.Contains(stored.Decisions, d => d.DecidedBy == "engineer" && d.Outcome == DecisionOutcome.Refused && d.Comment == "мат в письме");
        Assert.Contains(stored.AuditEvents, a => a.Action == "review.confirmed" && a.Actor == "engineer");
        Assert.True(await WithDbAsync(db => db.Outbox.AnyAsync(o => o.TicketId == stored.Id && o.Kind == OutgoingKind.Refusal, Token)));
    }

    [Fact]
    public async Task Page_WithoutAChoice_OrWithoutSignIn_ChangesNothing()
    {
        var number = await FileAsync();
        var url = $"/desk/ticket/{number}";
        using var stranger = new StaffBrowser(web.App);

        var noChoice = await browser.SubmitAsync(url, url + "?handler=Review", new Dictionary<string, string>());
        var anonymous = await stranger.PostAsync(url + "?handler=Review", new Dictionary<string, string> { ["ReviewChoice"] = "Confirm" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noChoice.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/signin", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(ReviewState.Pending, (await StoredAsync(number)).Review);
    }

    [Fact]
    public async Task Queue_MarksFlaggedTickets_AndFiltersThem()
    {
        var flagged = await FileAsync();
        var plain = await FileAsync(doubtful: false);

        var queue = await browser.GetStringAsync("/");
        var only = await browser.GetStringAsync("/?review=pending");

        var row = queue[queue.IndexOf($">{flagged}</a>", StringComparison.Ordinal)..];
        Assert.Contains("class=\"review-flag\"", row[..row.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains($">{plain}</a>", queue, StringComparison.Ordinal);
        Assert.Contains("на проверку", queue, StringComparison.Ordinal);
        Assert.Contains($">{flagged}</a>", only, StringComparison.Ordinal);
        Assert.DoesNotContain($">{plain}</a>", only, StringComparison.Ordinal);
        Assert.Contains("name=\"review\" value=\"pending\" checked=\"checked\"", only, StringComparison.Ordinal);
    }
}

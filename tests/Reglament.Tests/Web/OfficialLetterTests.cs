using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>R6: an engineer registers a legal entity's official letter at /desk/letters/new; the request runs through
/// the intake pipeline like any other, and the letter's facts stay with the ticket.</summary>
public sealed partial class OfficialLetterTests : IAsyncLifetime
{
    private const string Page = "/desk/letters/new";
    private const string ApiKey = "test-key";
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();
    private DemoWebApp web = null!;
    private StaffBrowser browser = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Api:Keys:0"] = ApiKey });
        browser = new StaffBrowser(web.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await web.DisposeAsync();
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = web.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private static Dictionary<string, string> Letter(string subscriber = "u10001") => new()
    {
        ["Subscriber"] = subscriber,
        ["LetterNumber"] = "117/24",
        ["LetterDate"] = "2024-04-22",
        ["Signatory"] = "Генеральный директор Иванов И. И.",
        ["Verified"] = "true",
        ["Subject"] = "Увеличить memory_limit",
        ["Text"] = "Просим увеличить memory_limit в php.ini до 512M для сайта romashka.example.ru.",
        ["ReplyTo"] = "it@romashka.example.ru",
    };

    private async Task<HttpResponseMessage> RegisterAsync(Dictionary<string, string> fields, string fileName = "letter-117.pdf", byte[]? scan = null)
    {
        // The subscriber's page carries the form; any form's token serves the signed-in engineer.
        var page = await browser.GetStringAsync($"{Page}?subscriber={Uri.EscapeDataString(fields["Subscriber"])}");
        var token = TokenField().Match(page);
        Assert.True(token.Success, "no antiforgery token on the letter page");
        using var form = new MultipartFormDataContent { { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent(scan ?? Pdf), "Scan", fileName);
        return await browser.PostMultipartAsync(Page, form);
    }

    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Token));
    }

    private Task<(int Tickets, int Letters, int Outbox)> CountsAsync() => WithDbAsync(async db =>
        (await db.Tickets.CountAsync(Token), await db.OfficialLetters.CountAsync(Token), await db.Outbox.CountAsync(Token)));

    [Fact]
    public async Task AnEngineerRegistersALetter_TheTicketRunsTheRules_AndKeepsTheLetter()
    {
        var response = await RegisterAsync(Letter());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ticket = await WithDbAsync(db => db.Tickets.Include(t => t.Subscriber).Include(t => t.Decisions).Include(t => t.AuditEvents)
            .Include(t => t.Messages).ThenInclude(m => m.Attachments).OrderByDescending(t => t.Id).FirstAsync(Token));
        Assert.Equal($"/desk/ticket/{ticket.Number}", response.Headers.Location!.OriginalString);
        Assert.Equal(Channel.OfficialLetter, ticket.Channel);
        Assert.Equal("u10001", ticket.Subscriber!.Login);
        var decision = Assert.Single(ticket.Decisions);
        Assert.Equal(DecisionOutcome.Accepted, decision.Outcome);
        Assert.Equal(RequestType.ConfigChange, ticket.Type);
        Assert.NotNull(ticket.ResponseDeadline);
        var evidence = Assert.Single(decision.Evidence, e => e.Rule == "OfficialLetter");
        Assert.Equal("R6", evidence.Clause);
        Assert.Contains("official letter No. 117/24 of 22.04.2024 signed by Генеральный директор Иванов И. И.", evidence.Finding, StringComparison.Ordinal);
        Assert.Contains("verified by engineer engineer", evidence.Finding, StringComparison.Ordinal);

        var message = Assert.Single(ticket.Messages);
        Assert.Equal("it@romashka.example.ru", message.Author);
        var scan = Assert.Single(message.Attachments);
        Assert.Equal(("letter-117.pdf", "application/pdf", Pdf.LongLength), (scan.FileName, scan.ContentType, scan.Length));
        Assert.Equal(Pdf, await WithDbAsync(db => db.Blobs.Where(b => b.Sha256 == scan.Sha256).Select(b => b.Content).SingleAsync(Token)));

        var letter = await WithDbAsync(db => db.OfficialLetters.SingleAsync(Token));
        Assert.Equal((ticket.Id, ticket.SubscriberId!.Value, "117/24", new LocalDate(2024, 4, 22), "Генеральный директор Иванов И. И.", "engineer", TestDesk.Tuesday10Msk),
            (letter.TicketId, letter.SubscriberId, letter.Number, letter.Date, letter.Signatory, letter.RegisteredBy, letter.RegisteredAt));
        var audit = Assert.Single(ticket.AuditEvents, a => a.Action == "letter.registered");
        Assert.Equal("engineer", audit.Actor);

        var acknowledgement = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id, Token));
        Assert.Equal((OutgoingKind.Acknowledgement, "it@romashka.example.ru"), (acknowledgement.Kind, acknowledgement.To));
        Assert.Contains(ticket.Number.ToString(), acknowledgement.Subject, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(response.Headers.Location.OriginalString));
        Assert.Contains("№ <strong>117/24</strong> от 22.04.2024", page, StringComparison.Ordinal);
        Assert.Contains("Генеральный директор Иванов И. И.", page, StringComparison.Ordinal);
        Assert.Contains("letter-117.pdf", page, StringComparison.Ordinal);
        Assert.Contains("letter.registered", page, StringComparison.Ordinal);

        // The scan opens from the ticket, as a download; not through another ticket's address.
        var download = await browser.GetAsync($"/desk/ticket/{ticket.Number}?handler=Attachment&id={scan.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("letter-117.pdf", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/desk/ticket/RG-000001?handler=Attachment&id={scan.Id}")).StatusCode);
    }

    [Fact]
    public async Task ThePersonSubscriber_IsRefusedOnTheForm_AndNothingIsStored()
    {
        var before = await CountsAsync();
        var shown = WebUtility.HtmlDecode(await browser.GetStringAsync($"{Page}?subscriber=104524"));
        Assert.Contains("физическое лицо", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"letter\"", shown, StringComparison.Ordinal);

        var fields = Letter("u10001");
        fields["Subscriber"] = "u10002";
        fields["ReplyTo"] = "ivanov@example.org";
        var form = new MultipartFormDataContent();
        var page = await browser.GetStringAsync(Page);
        form.Add(new StringContent(TokenField().Match(page).Groups[1].Value), "__RequestVerificationToken");
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent(Pdf), "Scan", "letter.pdf");
        var body = await RefusedAsync(await browser.PostMultipartAsync(Page, form));

        Assert.Contains("только от юридического лица", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnUncheckedVerification_IsAnError_AndNothingIsStored()
    {
        var before = await CountsAsync();
        var fields = Letter();
        fields.Remove("Verified");

        var body = await RefusedAsync(await RegisterAsync(fields));

        Assert.Contains("бланк, подпись и печать проверены", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("letter.pdf", "MZ\u0090\0 an executable renamed")]
    [InlineData("letter.docx", "PK\u0003\u0004 a Word document")]
    [InlineData("letter.png", "%PDF-1.4 a PDF that says it is a PNG")]
    public async Task AFileThatIsNotAScan_IsAnError_AndNothingIsStored(string fileName, string content)
    {
        var before = await CountsAsync();

        var body = await RefusedAsync(await RegisterAsync(Letter(), fileName, System.Text.Encoding.Latin1.GetBytes(content)));

        Assert.Contains("не PDF, JPEG, PNG или TIFF", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnImageScan_IsAccepted_WithTheTypeItsBytesSay()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

        var response = await RegisterAsync(Letter(), "scan.PNG", png);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("image/png", await WithDbAsync(db => db.Attachments.Select(a => a.ContentType).SingleAsync(Token)));
    }

    [Fact]
    public async Task AFutureDate_AndAMissingScan_AreErrors()
    {
        var before = await CountsAsync();
        var fields = Letter();
        fields["LetterDate"] = "2024-04-24";

        var body = await RefusedAsync(await RegisterAsync(fields));
        Assert.Contains("позже сегодняшней (23.04.2024, МСК)", body, StringComparison.Ordinal);

        var page = await browser.GetStringAsync($"{Page}?subscriber=u10001");
        using var form = new MultipartFormDataContent { { new StringContent(TokenField().Match(page).Groups[1].Value), "__RequestVerificationToken" } };
        foreach (var (name, value) in Letter())
            form.Add(new StringContent(value), name);
        body = await RefusedAsync(await browser.PostMultipartAsync(Page, form));
        Assert.Contains("Приложите скан письма", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AReplyAddressThatIsNotTheSubscribers_IsAnError()
    {
        var before = await CountsAsync();
        var fields = Letter();
        fields["ReplyTo"] = "ivanov@example.org";

        var body = await RefusedAsync(await RegisterAsync(fields));

        Assert.Contains("только на зарегистрированный адрес", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task TheSameNumberTwice_IsAnError_AndTheSecondIsNotStored()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(Letter())).StatusCode);
        var before = await CountsAsync();

        var body = await RefusedAsync(await RegisterAsync(Letter()));

        Assert.Contains("Письмо № 117/24 этого абонента уже зарегистрировано", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task TheUniqueIndex_RefusesADuplicateThatSlipsPastTheCheck()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(Letter())).StatusCode);
        var before = await CountsAsync();
        // The page's check is a courtesy; two engineers registering the same letter at once meet the index.
        await using var scope = web.App.Services.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<Reglament.Intake.IntakePipeline>();
        var subscriber = await WithDbAsync(db => db.Subscribers.Where(s => s.Login == "u10001").Select(s => s.Id).SingleAsync(Token));
        var request = new Reglament.Intake.InboundRequest
        {
            Channel = Channel.OfficialLetter, Sender = "admin@romashka.example.ru", Subject = "Повтор", Body = "Просим увеличить memory_limit.",
            ReceivedAt = TestDesk.Tuesday10Msk, RawSource = [], AuthorizedSubscriberId = subscriber,
            Letter = new Reglament.Letters.LetterFacts("117/24", new LocalDate(2024, 4, 22), "Генеральный директор Иванов И. И.", "supervisor"),
        };

        await Assert.ThrowsAsync<DbUpdateException>(() => pipeline.ProcessAsync(request, Token));

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task APersonsLetter_ThatReachesIntakeAnyway_IsRefusedR11a_WithTheR6Evidence()
    {
        await using var scope = web.App.Services.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<Reglament.Intake.IntakePipeline>();
        var person = await WithDbAsync(db => db.Subscribers.Where(s => s.Login == "u10002").Select(s => s.Id).SingleAsync(Token));

        var result = await pipeline.ProcessAsync(new Reglament.Intake.InboundRequest
        {
            Channel = Channel.OfficialLetter, Sender = "ivanov@example.org", Subject = "Письмо", Body = "Просим увеличить memory_limit.",
            ReceivedAt = TestDesk.Tuesday10Msk, RawSource = [], AuthorizedSubscriberId = person,
            Letter = new Reglament.Letters.LetterFacts("1", new LocalDate(2024, 4, 22), "Иванов И. И.", "engineer"),
        }, Token);

        Assert.Equal(RefusalReasons.MissingAuthorization, result.Refusals);
        Assert.Contains(result.Evidence!, e => e.Rule == "OfficialLetter" && e.Finding.Contains("not a legal entity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASuspendedLegalEntity_IsRefusedR11c_ByTheRules()
    {
        var fields = Letter("u10003");
        fields["ReplyTo"] = "office@vector.example.ru";
        fields["Subject"] = "Новый сайт";
        fields["Text"] = "Просим увеличить memory_limit в php.ini до 512M для сайта vector.example.ru.";

        var response = await RegisterAsync(fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ticket = await WithDbAsync(db => db.Tickets.Include(t => t.Decisions).OrderByDescending(t => t.Id).FirstAsync(Token));
        Assert.Equal((Channel.OfficialLetter, TicketStatus.Refused), (ticket.Channel, ticket.Status));
        Assert.Equal(RefusalReasons.ServicesSuspended, Assert.Single(ticket.Decisions).Reasons);
        var refusal = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id, Token));
        Assert.Equal((OutgoingKind.Refusal, "office@vector.example.ru"), (refusal.Kind, refusal.To));
        Assert.Equal(1, await WithDbAsync(db => db.OfficialLetters.CountAsync(l => l.TicketId == ticket.Id, Token)));
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var anonymous = new StaffBrowser(web.App);

        var response = await anonymous.GetAsync(Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheApiTicketDetails_CarryTheLetter()
    {
        var response = await RegisterAsync(Letter());
        var number = response.Headers.Location!.OriginalString.Split('/')[^1];
        using var api = web.App.GetTestClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);

        using var details = JsonDocument.Parse(await api.GetStringAsync($"/api/tickets/{number}", Token));

        var letter = details.RootElement.GetProperty("letter");
        Assert.Equal("117/24", letter.GetProperty("number").GetString());
        Assert.Equal("2024-04-22", letter.GetProperty("date").GetString());
        Assert.Equal("Генеральный директор Иванов И. И.", letter.GetProperty("signatory").GetString());
        Assert.Equal("engineer", letter.GetProperty("registeredBy").GetString());
        Assert.Equal("OfficialLetter", details.RootElement.GetProperty("ticket").GetProperty("channel").GetString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

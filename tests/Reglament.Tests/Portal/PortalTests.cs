using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Portal;

/// <summary>The customer portal over HTTP with the real application and demo data: one-time links, what a contact
/// sees, what it may not touch, and requests and replies through the intake pipeline.</summary>
public sealed partial class PortalTests : IAsyncLifetime
{
    private const string Ivanov = "ivanov@example.org";        // u10002, Active, Vps and Backup
    private const string Vector = "office@vector.example.ru";  // u10003, Suspended
    private DemoWebApp web = null!;

    /// <summary>Each test starts the app itself (<see cref="StartAsync"/>) with its own settings.</summary>
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private async Task StartAsync(Dictionary<string, string?>? settings = null) =>
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new Dictionary<string, string?>(settings ?? [])
        {
            ["Knowledge:AutoAnswer"] = "false",
            ["Portal:AttemptsPerMinute"] = settings?.GetValueOrDefault("Portal:AttemptsPerMinute") ?? "100",
        });

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
            await web.DisposeAsync();
    }

    private FakeClock Clock => (FakeClock)web.App.Services.GetRequiredService<IClock>();

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = web.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> AskForLinkAsync(StaffBrowser browser, string email) =>
        browser.SubmitAsync("/portal/signin", "/portal/signin", new Dictionary<string, string> { ["Email"] = email });

    /// <summary>The path of the newest link mailed to the address, read from the outbox as the mail would carry it.</summary>
    private async Task<string> LinkPathAsync(string email)
    {
        var mail = await WithDbAsync(db => db.Outbox.Where(o => o.To == email && o.Kind == OutgoingKind.PortalSignInLink).OrderByDescending(o => o.Id).FirstAsync(Token));
        var match = LinkInMail().Match(mail.Body);
        Assert.True(match.Success, mail.Body);
        Assert.StartsWith("http://127.0.0.1:5080/portal/link/", match.Value, StringComparison.Ordinal);
        return new Uri(match.Value).AbsolutePath;
    }

    private async Task<StaffBrowser> SignedInAsync(string email)
    {
        var browser = new StaffBrowser(web.App);
        Assert.Equal(HttpStatusCode.OK, (await AskForLinkAsync(browser, email)).StatusCode);
        var link = await LinkPathAsync(email);
        var response = await browser.SubmitAsync(link, link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/portal", response.Headers.Location!.OriginalString);
        return browser;
    }

    private Task<List<Ticket>> TicketsOfAsync(string login) =>
        WithDbAsync(db => db.Tickets.AsNoTracking().Where(t => t.Subscriber!.Login == login).OrderBy(t => t.Id).ToListAsync(Token));

    [Fact]
    public async Task LinkRequest_WritesOneMailToThatAddress_AndStoresOnlyTheTokensHash()
    {
        await StartAsync();
        using var browser = new StaffBrowser(web.App);
        var response = await AskForLinkAsync(browser, " IVANOV@example.org ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Token);
        Assert.Contains("Проверьте почту", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/portal/link/", page, StringComparison.Ordinal);

        var mails = await WithDbAsync(db => db.Outbox.Where(o => o.Kind == OutgoingKind.PortalSignInLink).ToListAsync(Token));
        var mail = Assert.Single(mails);
        Assert.Equal(Ivanov, mail.To);
        Assert.Null(mail.TicketId);
        Assert.True(mail.Body.IndexOf("Здравствуйте", StringComparison.Ordinal) < mail.Body.IndexOf("Hello", StringComparison.Ordinal), "Russian first, then English");

        var token = (await LinkPathAsync(Ivanov))["/portal/link/".Length..];
        var link = Assert.Single(await WithDbAsync(db => db.PortalSignInLinks.AsNoTracking().ToListAsync(Token)));
        Assert.DoesNotContain(token, link.TokenHash, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token))), link.TokenHash);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(token).Length);
        Assert.Equal(TestDesk.Tuesday10Msk + Duration.FromMinutes(15), link.ExpiresAt);
        Assert.Null(link.UsedAt);
    }

    [Fact]
    public async Task Demo_ShowsTheLinkOnThePage_AndItSignsIn()
    {
        await StartAsync(new() { ["Portal:ShowLinkOnPage"] = "true" });
        using var browser = new StaffBrowser(web.App);
        var page = await (await AskForLinkAsync(browser, Ivanov)).Content.ReadAsStringAsync(Token);
        Assert.Contains("Демо-режим:", page, StringComparison.Ordinal);
        var link = DemoLink().Match(page).Groups[1].Value;
        Assert.Equal(await LinkPathAsync(Ivanov), link);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(link, link, new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task AddressOfTwoSubscribers_GetsOneMailWithALinkForEach_AndEachLinkOpensOnlyItsSubscriber()
    {
        await StartAsync();
        await WithDbAsync(async db =>
        {
            var romashka = await db.Subscribers.SingleAsync(s => s.Login == "u10001", Token);
            db.AuthorizedContacts.Add(new Reglament.Subscribers.AuthorizedContact { SubscriberId = romashka.Id, Email = Ivanov });
            return await db.SaveChangesAsync(Token);
        });
        using var browser = new StaffBrowser(web.App);
        await AskForLinkAsync(browser, Ivanov);
        var mail = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.Kind == OutgoingKind.PortalSignInLink, Token));
        Assert.Equal(2, await WithDbAsync(db => db.PortalSignInLinks.CountAsync(Token)));
        Assert.Contains("(u10001)", mail.Body, StringComparison.Ordinal);
        Assert.Contains("(u10002)", mail.Body, StringComparison.Ordinal);

        var romashkaLink = new Uri(LinkInMail().Match(mail.Body[mail.Body.IndexOf("(u10001)", StringComparison.Ordinal)..]).Value).AbsolutePath;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(romashkaLink, romashkaLink, new Dictionary<string, string>())).StatusCode);
        var shown = TicketLink().Matches(await browser.GetStringAsync("/portal")).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal((await TicketsOfAsync("u10001")).Select(t => t.Number.ToString()).ToHashSet(), shown);
        var ivanovs = (await TicketsOfAsync("u10002"))[0];
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/tickets/{ivanovs.Number}")).StatusCode);

        // Signed in with the other link, a new request belongs to that subscriber, not to the first the address names.
        using var other = new StaffBrowser(web.App);
        var ivanovLink = new Uri(LinkInMail().Match(mail.Body[mail.Body.IndexOf("(u10002)", StringComparison.Ordinal)..]).Value).AbsolutePath;
        Assert.Equal(HttpStatusCode.Redirect, (await other.SubmitAsync(ivanovLink, ivanovLink, new Dictionary<string, string>())).StatusCode);
        var response = await other.SubmitAsync("/portal/new", "/portal/new", new Dictionary<string, string>
        {
            ["Subject"] = "VPS перезагружается",
            ["Text"] = "Со вчерашнего вечера VPS сам перезагружается каждые полчаса, в журнале ошибка kernel panic: Out of memory.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var filed = await WithDbAsync(db => db.Tickets.Include(t => t.Subscriber).OrderByDescending(t => t.Id).FirstAsync(Token));
        Assert.Equal("u10002", filed.Subscriber!.Login);
    }

    [Fact]
    public async Task UnknownAddress_GetsTheSamePage_AndNothingIsStored()
    {
        await StartAsync();
        using var browser = new StaffBrowser(web.App);
        var known = await (await AskForLinkAsync(browser, Ivanov)).Content.ReadAsStringAsync(Token);
        var unknownResponse = await AskForLinkAsync(browser, "stranger@example.com");
        Assert.Equal(HttpStatusCode.OK, unknownResponse.StatusCode);
        var unknown = await unknownResponse.Content.ReadAsStringAsync(Token);

        string Answer(string page, string email) => Notice().Match(page).Value.Replace(email, "ADDRESS", StringComparison.Ordinal);
        Assert.NotEmpty(Answer(known, Ivanov));
        Assert.Equal(Answer(known, Ivanov), Answer(unknown, "stranger@example.com"));
        Assert.Equal(1, await WithDbAsync(db => db.Outbox.CountAsync(o => o.Kind == OutgoingKind.PortalSignInLink, Token)));
        Assert.Equal(0, await WithDbAsync(db => db.Outbox.CountAsync(o => o.To == "stranger@example.com", Token)));
        Assert.Equal(1, await WithDbAsync(db => db.PortalSignInLinks.CountAsync(Token)));
    }

    [Fact]
    public async Task Link_OpensThePortalOnce_AndOpeningItDoesNotUseItUp()
    {
        await StartAsync();
        using var first = new StaffBrowser(web.App);
        await AskForLinkAsync(first, Ivanov);
        var link = await LinkPathAsync(Ivanov);

        // A mail scanner fetches the link: nothing is used up, nobody is signed in.
        using var scanner = new StaffBrowser(web.App);
        Assert.Contains(">Войти</button>", await scanner.GetStringAsync(link), StringComparison.Ordinal);
        Assert.Null(await WithDbAsync(db => db.PortalSignInLinks.Select(l => l.UsedAt).SingleAsync(Token)));
        Assert.Equal(HttpStatusCode.Redirect, (await scanner.GetAsync("/portal")).StatusCode);

        var signIn = await first.SubmitAsync(link, link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(first.Cookies.GetAllCookies(), c => c.Name == "reglament.portal" && c.HttpOnly);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/portal")).StatusCode);
        Assert.Equal(TestDesk.Tuesday10Msk, await WithDbAsync(db => db.PortalSignInLinks.Select(l => l.UsedAt).SingleAsync(Token)));
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == "portal.signed-in" && a.Actor == Ivanov, Token)));

        // The same link a second time: refused, no cookie.
        using var second = new StaffBrowser(web.App);
        Assert.Equal(HttpStatusCode.Gone, (await second.GetAsync(link)).StatusCode);
        var again = await second.SubmitAsync("/portal/signin", link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.DoesNotContain(second.Cookies.GetAllCookies(), c => c.Name == "reglament.portal");
        var portal = await second.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, portal.StatusCode);
        Assert.StartsWith("/portal/signin", portal.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredLink_IsRefused()
    {
        await StartAsync();
        using var browser = new StaffBrowser(web.App);
        await AskForLinkAsync(browser, Ivanov);
        var link = await LinkPathAsync(Ivanov);
        Clock.Advance(Duration.FromMinutes(15) + Duration.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Gone, (await browser.GetAsync(link)).StatusCode);
        var response = await browser.SubmitAsync("/portal/signin", link, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("Ссылка недействительна", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/portal")).StatusCode);
        Assert.Null(await WithDbAsync(db => db.PortalSignInLinks.Select(l => l.UsedAt).SingleAsync(Token)));
    }

    [Fact]
    public async Task Contact_SeesOnlyItsSubscribersTickets()
    {
        await StartAsync();
        using var browser = await SignedInAsync(Ivanov);
        var page = await browser.GetStringAsync("/portal");
        var own = await TicketsOfAsync("u10002");
        Assert.NotEmpty(own);
        var shown = TicketLink().Matches(page).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(own.Select(t => t.Number.ToString()).ToHashSet(), shown);
        foreach (var other in await WithDbAsync(db => db.Tickets.Where(t => t.SubscriberId != own[0].SubscriberId).ToListAsync(Token)))
            Assert.DoesNotContain(other.Number.ToString(), page, StringComparison.Ordinal);
        Assert.Contains("action=\"/kb/search\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Очередь</a>", page, StringComparison.Ordinal);

        // The public knowledge base shows a signed-in contact the portal's header, not the staff's.
        var kb = await browser.GetStringAsync("/kb/search?q=502");
        Assert.Contains(">Мои заявки</a>", kb, StringComparison.Ordinal);
        Assert.DoesNotContain(">Очередь</a>", kb, StringComparison.Ordinal);
        using var anonymous = new StaffBrowser(web.App);
        Assert.Contains(">Очередь</a>", await anonymous.GetStringAsync("/kb"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherSubscribersTicket_Is404_ForAGetAndForAReply_AndNothingIsStored()
    {
        await StartAsync();
        using var browser = await SignedInAsync(Ivanov);
        var own = (await TicketsOfAsync("u10002"))[0];
        var foreign = (await TicketsOfAsync("u10001"))[0];
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/tickets/{own.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/tickets/{foreign.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/tickets/{foreign.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/portal/tickets/RG-999999")).StatusCode);

        var messages = await WithDbAsync(db => db.Messages.CountAsync(Token));
        var audit = await WithDbAsync(db => db.AuditEvents.CountAsync(Token));
        // The form of its own ticket, sent to the other one's address: a valid token, a foreign number.
        var reply = await browser.SubmitAsync($"/portal/tickets/{own.Number}", $"/portal/tickets/{foreign.Number}?handler=Reply",
            new Dictionary<string, string> { ["ReplyText"] = "Чужая заявка, но я напишу" });
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(messages, await WithDbAsync(db => db.Messages.CountAsync(Token)));
        Assert.Equal(audit, await WithDbAsync(db => db.AuditEvents.CountAsync(Token)));
        Assert.Equal(0, await WithDbAsync(db => db.Quarantine.CountAsync(Token)));
        Assert.DoesNotContain(await WithDbAsync(db => db.Messages.Select(m => m.Body).ToListAsync(Token)), b => b.Contains("Чужая заявка", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/desk/ticket/RG-000002")]
    [InlineData("/admin/users")]
    public async Task PortalContact_DoesNotReachTheDesk(string url)
    {
        await StartAsync();
        using var browser = await SignedInAsync(Ivanov);
        var response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalContact_DoesNotReachTheApi_AndStaffDoNotOpenThePortal()
    {
        await StartAsync();
        using var contact = await SignedInAsync(Ivanov);
        Assert.Equal(HttpStatusCode.Unauthorized, (await contact.GetAsync("/api/tickets")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await contact.GetAsync("/api/tickets/RG-000002")).StatusCode);

        using var staff = new StaffBrowser(web.App);
        await staff.SignInAsync("engineer", "demo-engineer");
        var own = (await TicketsOfAsync("u10002"))[0];
        foreach (var url in new[] { "/portal", $"/portal/tickets/{own.Number}", "/portal/new" })
        {
            var response = await staff.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/portal/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NewRequest_FromASuspendedSubscriber_IsRefusedR11c_AndStillShown()
    {
        await StartAsync();
        using var browser = await SignedInAsync(Vector);
        var response = await browser.SubmitAsync("/portal/new", "/portal/new", new Dictionary<string, string>
        {
            ["Subject"] = "Не открывается сайт",
            ["Text"] = "С утра сайт vector.example.ru выдаёт ошибку 500 Internal Server Error в панели управления всё выглядит как обычно.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var ticket = await WithDbAsync(db => db.Tickets.Include(t => t.Decisions).Include(t => t.Subscriber).OrderByDescending(t => t.Id).FirstAsync(Token));
        Assert.Equal($"/portal/tickets/{ticket.Number}?filed=1", location);
        Assert.Equal(Channel.WebPortal, ticket.Channel);
        Assert.Equal("u10003", ticket.Subscriber!.Login);
        Assert.Equal(TicketStatus.Refused, ticket.Status);
        var decision = Assert.Single(ticket.Decisions);
        Assert.Equal(DecisionOutcome.Refused, decision.Outcome);
        Assert.True(decision.Reasons.HasFlag(RefusalReasons.ServicesSuspended));
        Assert.False(decision.Reasons.HasFlag(RefusalReasons.MissingAuthorization), "the portal sign-in is the authorization (R6, R7)");

        var page = await browser.GetStringAsync(location);
        Assert.Contains(ticket.Number.ToString(), page, StringComparison.Ordinal);
        Assert.Matches("В исполнении отказано — (R11[a-d], )*R11c", page);
        Assert.Contains("приостановление предоставления услуг", page, StringComparison.Ordinal);
        Assert.Contains(ticket.Number.ToString(), await browser.GetStringAsync("/portal"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewRequest_Complete_IsAcceptedWithADeadline_AndAttachmentsAreKept()
    {
        await StartAsync();
        using var browser = await SignedInAsync(Ivanov);
        var form = await browser.GetStringAsync("/portal/new");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Не работает VPS"), "Subject" },
            { new StringContent("С утра VPS 203.0.113.10 не отвечает: сайт на нём выдаёт ошибку 504 Gateway Timeout, по SSH не подключиться. Ничего не меняли."), "Text" },
            { new ByteArrayContent("nginx: upstream timed out"u8.ToArray()), "Files", "error.log" },
        };
        var response = await browser.PostMultipartAsync("/portal/new", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var ticket = await WithDbAsync(db => db.Tickets.Include(t => t.Decisions).Include(t => t.Messages).ThenInclude(m => m.Attachments).OrderByDescending(t => t.Id).FirstAsync(Token));
        Assert.Equal(DecisionOutcome.Accepted, Assert.Single(ticket.Decisions).Outcome);
        Assert.NotNull(ticket.ResponseDeadline);
        Assert.Equal(Ivanov, Assert.Single(ticket.Messages).Author);
        Assert.Equal("error.log", Assert.Single(ticket.Messages[0].Attachments).FileName);
        Assert.Equal(1, await WithDbAsync(db => db.Outbox.CountAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.Acknowledgement && o.To == Ivanov, Token)));

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(response.Headers.Location!.OriginalString));
        Assert.Contains("Заявка принята", page, StringComparison.Ordinal);
        Assert.Contains(Reglament.Mail.ReplyTexts.Time(ticket.ResponseDeadline!.Value, Reglament.Mail.ReplyTexts.Moscow), page, StringComparison.Ordinal);
        Assert.Contains("МСК", page, StringComparison.Ordinal);
        Assert.Contains("error.log", page, StringComparison.Ordinal);

        // The file comes back as a download to its subscriber, and to nobody else.
        var file = AttachmentLink().Match(page).Value;
        var download = await browser.GetAsync(file);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nginx: upstream timed out"u8.ToArray(), await download.Content.ReadAsByteArrayAsync(Token));
        using var stranger = await SignedInAsync(Vector);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(file)).StatusCode);
        var ownOfStranger = (await TicketsOfAsync("u10003"))[0];
        var attachmentId = file[(file.LastIndexOf('=') + 1)..];
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/portal/tickets/{ownOfStranger.Number}?handler=Attachment&id={attachmentId}")).StatusCode);
    }

    [Fact]
    public async Task Reply_LandsInTheTicket_AndInternalNotesStayHidden()
    {
        await StartAsync();
        var own = (await TicketsOfAsync("u10002"))[0];
        await WithDbAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == own.Id, Token);
            ticket.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = TestDesk.Tuesday10Msk, Author = "engineer", Subject = ticket.Subject, Body = "Секретная заметка инженеров" });
            return await db.SaveChangesAsync(Token);
        });
        var ticketsBefore = (await TicketsOfAsync("u10002")).Count;
        using var browser = await SignedInAsync(Ivanov);
        var page = await browser.GetStringAsync($"/portal/tickets/{own.Number}");
        Assert.DoesNotContain("Секретная заметка", page, StringComparison.Ordinal);

        var response = await browser.SubmitAsync($"/portal/tickets/{own.Number}", $"/portal/tickets/{own.Number}?handler=Reply",
            new Dictionary<string, string> { ["ReplyText"] = "Копия за позавчера тоже подойдёт." });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var reply = await WithDbAsync(db => db.Messages.Where(m => m.TicketId == own.Id && m.Direction == MessageDirection.Inbound).OrderByDescending(m => m.Id).FirstAsync(Token));
        Assert.Equal("Копия за позавчера тоже подойдёт.", reply.Body);
        Assert.Equal(Ivanov, reply.Author);
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(a => a.TicketId == own.Id && a.Action == "message.received" && a.Details!.Contains("WebPortal"), Token)));
        Assert.Equal(ticketsBefore, (await TicketsOfAsync("u10002")).Count);
        Assert.Contains("Копия за позавчера", await browser.GetStringAsync($"/portal/tickets/{own.Number}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyLinksForOneAddress_GetTheSameAnswer_AndNothingMoreIsSent()
    {
        await StartAsync();
        using var browser = new StaffBrowser(web.App);
        var pages = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var response = await AskForLinkAsync(browser, Ivanov);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(Notice().Match(await response.Content.ReadAsStringAsync(Token)).Value);
        }
        Assert.Single(pages.Distinct());
        Assert.Equal(5, await WithDbAsync(db => db.Outbox.CountAsync(o => o.To == Ivanov && o.Kind == OutgoingKind.PortalSignInLink, Token)));
        Assert.Equal(5, await WithDbAsync(db => db.PortalSignInLinks.CountAsync(Token)));

        // An hour later the address gets links again.
        Clock.Advance(Duration.FromMinutes(61));
        await AskForLinkAsync(browser, Ivanov);
        Assert.Equal(6, await WithDbAsync(db => db.PortalSignInLinks.CountAsync(Token)));
    }

    [Fact]
    public async Task TooManyPostsFromOneClient_Get429()
    {
        await StartAsync(new() { ["Portal:AttemptsPerMinute"] = "3" });
        using var browser = new StaffBrowser(web.App);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await AskForLinkAsync(browser, $"nobody{i}@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AskForLinkAsync(browser, Ivanov)).StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.Outbox.CountAsync(o => o.Kind == OutgoingKind.PortalSignInLink, Token)));
        // The link page's POST counts against the same limit.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SubmitAsync("/portal/signin", "/portal/link/AAAA", new Dictionary<string, string>())).StatusCode);
    }

    [Fact]
    public async Task TooManyRequestsFromOneSubscriber_Get429_AndStoreNothingMore()
    {
        await StartAsync(new() { ["Portal:RequestsPerHour"] = "2" });
        using var browser = await SignedInAsync(Ivanov);
        var before = await WithDbAsync(db => db.Tickets.CountAsync(Token));
        var form = new Dictionary<string, string> { ["Subject"] = "Вопрос", ["Text"] = "Можно ли добавить второй IP-адрес на VPS?" };
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/portal/new", "/portal/new", form)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SubmitAsync("/portal/new", "/portal/new", form)).StatusCode);
        Assert.Equal(before + 2, await WithDbAsync(db => db.Tickets.CountAsync(Token)));
        // Reading is never limited.
        Assert.Contains("Вопрос", await browser.GetStringAsync("/portal"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:5080/portal/link/[A-Za-z0-9_-]+")]
    private static partial Regex LinkInMail();

    [GeneratedRegex(@"<section class=""notice""[\s\S]*?</section>")]
    private static partial Regex Notice();

    [GeneratedRegex(@"class=""demo-link"" href=""(/portal/link/[A-Za-z0-9_-]+)""")]
    private static partial Regex DemoLink();

    [GeneratedRegex(@"/portal/tickets/RG-\d+\?handler=Attachment&id=\d+")]
    private static partial Regex AttachmentLink();

    [GeneratedRegex(@"href=""/portal/tickets/(RG-\d+)""")]
    private static partial Regex TicketLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

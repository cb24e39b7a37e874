using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;
using Reglament.Web;

namespace Reglament.Tests.Web;

/// <summary>Every staff and portal screen, rendered by the real application over the demo data, speaks one language:
/// in Russian (the default) no C# enum member name, no resource key and no «ru / en» pair is left in the visible
/// text; in English no Cyrillic is. What people stored — subjects, messages, names, articles, the rules' findings
/// (English sentences, marked <c>lang="en"</c>) — is taken out first: it is shown as written, in whatever language it
/// was written. The audit trail's details are not: the ticket page renders them in the page's language (codes and
/// instants in words and local time), so a detail shown as stored («CriticalityChanged … due 2024-…Z») is a leak.</summary>
public sealed partial class LocalizationLeakTests : IAsyncLifetime
{
    private const string Ivanov = "ivanov@example.org";

    /// <summary>The enums whose values the pages show to engineers and subscribers.</summary>
    private static readonly Type[] DomainEnums =
    [
        typeof(RequestType), typeof(Criticality), typeof(TicketStatus), typeof(Channel), typeof(DecisionOutcome),
        typeof(RefusalReasons), typeof(ReviewState), typeof(MessageDirection), typeof(Reglament.Sla.SlaState), typeof(OutgoingKind),
        typeof(Reglament.Subscribers.SubscriberStatus), typeof(Reglament.Subscribers.SubscriberKind), typeof(Reglament.Subscribers.ContractedServices),
        typeof(Reglament.WorkingTime.DayKind), typeof(Reglament.WorkingTime.YearStatus), typeof(Reglament.Staff.StaffRole), typeof(Reglament.Policy.MissingInformation),
    ];

    private DemoWebApp desk = null!;
    private HashSet<string> stored = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new Dictionary<string, string?> { ["Portal:AttemptsPerMinute"] = "100" });
        // A request from a stranger, so that the quarantine pages have an item to show.
        await using (var scope = desk.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(new InboundRequest
            {
                Channel = Channel.Email,
                Sender = "stranger@example.com",
                Subject = "Не работает почта",
                Body = "Здравствуйте, ID клиента 104524, почта не отправляется.",
                ReceivedAt = TestDesk.Tuesday10Msk,
                RawSource = "From: stranger@example.com\r\nSubject: x\r\n\r\nx"u8.ToArray(),
            }, Token);
        }
    }

    public async ValueTask DisposeAsync() => await desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RussianMode_NoEnumNamesResourceKeysOrPairs_OnAnyScreen()
    {
        var leaks = new List<string>();
        await foreach (var (url, html) in EveryScreenAsync(english: false))
        {
            var text = VisibleText(html, "ru");
            foreach (Match m in EnumName().Matches(text))
                if (EnumMemberNames.Contains(m.Value))
                    leaks.Add($"{url}: enum name «{m.Value}» in «{Around(text, m.Index)}»");
            foreach (Match m in ResourceKey().Matches(text))
                leaks.Add($"{url}: resource key «{m.Value}» in «{Around(text, m.Index)}»");
            foreach (Match m in Pair().Matches(text))
                leaks.Add($"{url}: a «ru / en» pair «{m.Value}»");
            foreach (Match m in EnglishFirstPair().Matches(text))
                leaks.Add($"{url}: an «en / ru» pair «{m.Value}»");
            // A label left in English: capitalised words are caught as enum names, a phrase in small letters here.
            foreach (Match m in EnglishPhrase().Matches(text))
                leaks.Add($"{url}: English words «{m.Value}» in «{Around(text, m.Index)}»");
            foreach (Match m in IsoDate().Matches(text))
                leaks.Add($"{url}: a date not in Russian format «{m.Value}»");
            // An instant as stored (an audit detail's «due 2024-04-25T11:00:00Z»), not in the support's time.
            foreach (Match m in IsoInstant().Matches(text))
                leaks.Add($"{url}: an instant as stored «{m.Value}» in «{Around(text, m.Index)}»");
            foreach (Match m in EnglishWeekday().Matches(text))
                leaks.Add($"{url}: an English weekday «{m.Value}» in «{Around(text, m.Index)}»");
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Distinct()));
    }

    [Fact]
    public async Task EnglishMode_NoCyrillic_OnAnyScreen()
    {
        var leaks = new List<string>();
        await foreach (var (url, html) in EveryScreenAsync(english: true))
        {
            var text = VisibleText(html, "en");
            foreach (Match m in Cyrillic().Matches(text))
                leaks.Add($"{url}: «{m.Value}» in «{Around(text, m.Index)}»");
            foreach (Match m in IsoInstant().Matches(text))
                leaks.Add($"{url}: an instant as stored «{m.Value}» in «{Around(text, m.Index)}»");
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Distinct()));
    }

    [Fact]
    public async Task RussianMode_IsTheDefault_AndDatesAreRussian()
    {
        using var browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("<html lang=\"ru\">", queue, StringComparison.Ordinal);
        Assert.Contains("<h1>Очередь заявок</h1>", queue, StringComparison.Ordinal);
        // 23.04.2024 10:00 Moscow, as the regulation writes times.
        Assert.Matches(@"\d\d\.\d\d\.2024 \d\d:\d\d \(МСК, UTC\+03\)", new HtmlParser().ParseDocument(queue).Body!.TextContent);
        // The working periods the deadline consumed, with the Russian weekday.
        var ticket = await browser.GetStringAsync("/desk/ticket/RG-000001");
        Assert.Contains("23.04.2024 вт:", ticket, StringComparison.Ordinal);
    }

    /// <summary>Every value of every domain enum has its words in Russian and its own English ones.</summary>
    [Fact]
    public void EveryDomainValue_HasRussianAndEnglishText()
    {
        var missing = new List<string>();
        foreach (var type in DomainEnums)
            foreach (var name in Enum.GetNames(type))
            {
                var key = type.Name + "_" + name;
                if (!DomainText.Has(key, ReplyTexts.Russian))
                {
                    missing.Add(key);
                    continue;
                }
                var (ru, en) = (Text(type, name, ReplyTexts.Russian), Text(type, name, ReplyTexts.English));
                // The English file must have its own text: the resource manager falls back to Russian silently.
                if (Cyrillic().IsMatch(en) || (ru == en && Cyrillic().IsMatch(ru)))
                    missing.Add(key + " (English)");
            }
        Assert.True(missing.Count == 0, string.Join(", ", missing));
    }

    private static string Text(Type type, string name, CultureInfo culture) =>
        (string)typeof(DomainText).GetMethod(nameof(DomainText.Get))!.MakeGenericMethod(type).Invoke(null, [Enum.Parse(type, name), culture])!;

    /// <summary>The domain values' names, and the response clock's event kinds that audit details name as causes.</summary>
    private static readonly HashSet<string> EnumMemberNames = [.. DomainEnums.Append(typeof(Reglament.Sla.SlaEventKind)).SelectMany(Enum.GetNames)];

    /// <summary>The staff screens (as an administrator, who sees them all), the sign-in pages, and the portal (as a
    /// contact of u10002), each in the chosen language.</summary>
    private async IAsyncEnumerable<(string Url, string Html)> EveryScreenAsync(bool english)
    {
        stored = await StoredTextsAsync();
        await using var scope = desk.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var tickets = await db.Tickets.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(Token);
        var subscribers = await db.Subscribers.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(Token);
        var quarantined = await db.Quarantine.AsNoTracking().Select(q => q.Id).ToListAsync(Token);
        var category = await db.KnowledgeArticles.AsNoTracking().Select(a => a.Category).FirstAsync(Token);

        using var anonymous = new StaffBrowser(desk.App);
        await ChooseAsync(anonymous, english, "/account/signin");
        foreach (var url in new[] { "/account/signin", "/portal/signin", "/kb", "/kb/article/000032" })
            yield return (url, await anonymous.GetStringAsync(url));

        using var staff = new StaffBrowser(desk.App);
        await staff.SignInAsync("admin", "demo-admin");
        await ChooseAsync(staff, english, "/");
        string[] pages =
        [
            "/", "/?status=all", "/?review=pending", "/?criticality=Critical&status=all", "/?subscriber=nobody",
            .. tickets.Select(id => $"/desk/ticket/{new TicketNumber(id)}"),
            "/desk/letters/new", "/desk/letters/new?subscriber=u10001",
            "/kb", "/kb/article/000032", "/kb/search?q=" + Uri.EscapeDataString("сайт 502"), "/kb/search?q=qqqqzz",
            "/kb/category/" + Uri.EscapeDataString(category), "/desk/kb/000032/edit",
            "/admin/subscribers", "/admin/subscribers?status=Suspended", .. subscribers.Select(id => $"/admin/subscribers/{id}"),
            "/admin/subscribers/new", "/admin/subscribers/import",
            "/admin/calendar", "/admin/calendar?year=2024", "/admin/calendar?year=2031",
            "/admin/quarantine", "/admin/quarantine?released=true", .. quarantined.Select(id => $"/admin/quarantine/{id}"),
            "/admin/users", "/admin/templates", "/admin/replies", .. TemplateKinds.All.Select(k => "/admin/templates/" + k.Key),
            "/reports", "/reports?from=2024-04-01&to=2024-05-01",
        ];
        foreach (var url in pages)
            yield return (url, await staff.GetStringAsync(url));

        using var portal = new StaffBrowser(desk.App);
        await ChooseAsync(portal, english, "/portal/signin");
        var asked = await portal.SubmitAsync("/portal/signin", "/portal/signin", new Dictionary<string, string> { ["Email"] = Ivanov });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        yield return ("/portal/signin (sent)", await asked.Content.ReadAsStringAsync(Token));
        var link = await LinkPathAsync();
        yield return (link, await portal.GetStringAsync(link));
        Assert.Equal(HttpStatusCode.Redirect, (await portal.SubmitAsync(link, link, new Dictionary<string, string>())).StatusCode);
        var own = await db.Tickets.AsNoTracking().Where(t => t.Subscriber!.Login == "u10002").Select(t => t.Id).ToListAsync(Token);
        foreach (var url in new[] { "/portal", "/portal/new", "/kb" }.Concat(own.Select(id => $"/portal/tickets/{new TicketNumber(id)}")))
            yield return (url, await portal.GetStringAsync(url));
    }

    private static async Task ChooseAsync(StaffBrowser browser, bool english, string page)
    {
        if (english)
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(page, "/language", new Dictionary<string, string> { ["lang"] = "en", ["returnUrl"] = "/" })).StatusCode);
    }

    private async Task<string> LinkPathAsync()
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        var mail = await db.Outbox.Where(o => o.To == Ivanov && o.Kind == OutgoingKind.PortalSignInLink).OrderByDescending(o => o.Id).FirstAsync(Token);
        return new Uri(PortalLink().Match(mail.Body).Value).AbsolutePath;
    }

    /// <summary>What people and rules stored, shown as written: taken out of the text before it is scanned.</summary>
    private async Task<HashSet<string>> StoredTextsAsync()
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        IEnumerable<string?> all =
        [
            .. await db.Tickets.Select(t => t.Subject).ToListAsync(Token),
            .. await db.Messages.Select(m => m.Author).ToListAsync(Token),
            .. await db.Outbox.Select(o => o.Subject).ToListAsync(Token),
            .. await db.Subscribers.Select(s => s.Name).ToListAsync(Token),
            .. await db.AuthorizedContacts.Select(c => c.Name).ToListAsync(Token),
            .. await db.KnowledgeArticles.Select(a => a.Title).ToListAsync(Token),
            .. await db.KnowledgeArticles.Select(a => a.Category).ToListAsync(Token),
            .. await db.Quarantine.Select(q => q.Subject).ToListAsync(Token),
            .. await db.SubscriberEvents.Select(e => e.Details).ToListAsync(Token),
            .. await db.SubscriberEvents.Select(e => e.Reason).ToListAsync(Token),
            .. await db.StaffUsers.Select(u => u.DisplayName).ToListAsync(Token),
            .. (await db.Decisions.ToListAsync(Token)).SelectMany(d => d.Evidence.Select(e => e.Fragment)),
            .. (await db.Decisions.ToListAsync(Token)).Select(d => d.Comment),
        ];
        return [.. all.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => Normalize(s!))];
    }

    /// <summary>The text a visitor reads — elements' text, tooltips, placeholders, labels for screen readers — without
    /// scripts, code samples, message bodies and edit boxes (<c>pre</c>, <c>textarea</c>, <c>code</c>, frames), quotes
    /// of the subscriber's words (<c>q</c>), an article's own text, the parts marked as written in the other language,
    /// and the stored texts.</summary>
    private string VisibleText(string html, string lang)
    {
        var document = new HtmlParser().ParseDocument(html);
        Assert.Equal(lang, document.DocumentElement.GetAttribute("lang"));
        foreach (var element in document.QuerySelectorAll("script, style, pre, textarea, code, iframe, q, .article-body").ToList())
            element.Remove();
        foreach (var element in document.Body!.QuerySelectorAll("[lang]").Where(e => e.GetAttribute("lang") != lang).ToList())
            element.Remove();
        // An option that shows its own value is an identifier (a staff login in the queue's assignment list), not a label.
        foreach (var option in document.Body.QuerySelectorAll("option").Where(o => o.GetAttribute("value") == o.TextContent).ToList())
            option.Remove();
        var attributes = document.Body.QuerySelectorAll("*")
            .SelectMany(e => new[] { "title", "placeholder", "aria-label", "alt" }.Select(a => e.GetAttribute(a)))
            .Where(a => !string.IsNullOrWhiteSpace(a));
        var text = Normalize(string.Join(" \n ", document.Body.Descendants<IText>().Select(t => t.Data).Concat(attributes!)));
        foreach (var s in stored.OrderByDescending(s => s.Length))
            text = text.Replace(s, " ", StringComparison.Ordinal);
        return text;
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Around(string text, int at) => text[Math.Max(0, at - 40)..Math.Min(text.Length, at + 40)];

    [GeneratedRegex(@"(?<![\w.\-/@])[A-Z][A-Za-z]+(?![\w.\-/@])")]
    private static partial Regex EnumName();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]+_[A-Z][A-Za-z0-9]+\b")]
    private static partial Regex ResourceKey();

    [GeneratedRegex(@"[А-Яа-яЁё][^/\n]{0,40} / [A-Za-z]+")]
    private static partial Regex Pair();

    [GeneratedRegex(@"[A-Za-z][^/\n]{0,40} / [А-Яа-яЁё]+")]
    private static partial Regex EnglishFirstPair();

    /// <summary>Three or more Latin words in a row («set by the rules»): no Russian label reads like that, and the
    /// codes and names the pages show in Latin (logins, addresses, R11b, VPS) are single words.</summary>
    [GeneratedRegex(@"(?<![\w.\-/@])[a-z]{2,}(?: [a-z]{2,}){2,}(?![\w.\-/@])")]
    private static partial Regex EnglishPhrase();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[\d:.]*Z?")]
    private static partial Regex IsoInstant();

    [GeneratedRegex(@"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")]
    private static partial Regex EnglishWeekday();

    [GeneratedRegex(@"[А-Яа-яЁё]+")]
    private static partial Regex Cyrillic();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"http://\S+/portal/link/[A-Za-z0-9_\-]+")]
    private static partial Regex PortalLink();
}

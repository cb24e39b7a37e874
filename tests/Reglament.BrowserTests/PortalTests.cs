using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Mail;

namespace Reglament.BrowserTests;

/// <summary>A subscriber's contact in Debian's chromium: asks for a link, opens it from the mail (read from the outbox),
/// signs in, sees only its subscriber's tickets, opens one and files a new request. Screenshots portal-*.png.</summary>
public sealed partial class PortalTests : DeskInBrowser
{
    private const string Contact = "ivanov@example.org";

    protected override Dictionary<string, string?> Settings => new() { ["Knowledge:AutoAnswer"] = "false" };

    [Fact]
    public async Task Subscriber_SignsInByLink_SeesOnlyItsTickets_AndFilesARequest()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/portal");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/signin"));
        await Shot(page, "portal-01-sign-in");
        await page.GetByLabel("Электронная почта").FillAsync(Contact);
        await page.GetByRole(AriaRole.Button, new() { Name = "Получить ссылку" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.notice h2")).ToContainTextAsync("Проверьте почту");
        await Shot(page, "portal-02-check-your-mail");

        var mail = await WithDbAsync(db => db.Outbox.SingleAsync(o => o.Kind == OutgoingKind.PortalSignInLink && o.To == Contact));
        var link = new Uri(LinkInMail().Match(mail.Body).Value);
        await page.GotoAsync(BaseUrl + link.AbsolutePath);
        await Shot(page, "portal-03-link");
        await page.GetByRole(AriaRole.Button, new() { Name = "Войти" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Заявки");

        var own = await WithDbAsync(db => db.Tickets.Where(t => t.Subscriber!.Login == "u10002").OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id)
            .Select(t => t.Id).ToListAsync());
        var shown = await page.Locator("table.portal-tickets td.number").AllTextContentsAsync();
        Assert.NotEmpty(own);
        Assert.Equal(own.Select(id => new Reglament.Tickets.TicketNumber(id).ToString()), shown.Select(s => s.Trim()));
        await Assertions.Expect(page.Locator("header a[href='/']")).ToHaveCountAsync(0);
        await Shot(page, "portal-04-my-requests");

        await page.Locator("table.portal-tickets td.number a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(shown[0].Trim());
        await Assertions.Expect(page.Locator("#decision")).ToBeVisibleAsync();
        await Shot(page, "portal-05-ticket");

        await page.Locator("header a[href='/portal/new']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/portal/new$"));
        await page.GetByLabel("Тема").FillAsync("Не работает VPS");
        await page.GetByLabel("Текст заявки").FillAsync("С утра VPS 203.0.113.10 не отвечает: сайт на нём выдаёт ошибку 504 Gateway Timeout, по SSH не подключиться. Ничего не меняли.");
        await Shot(page, "portal-06-new-request");
        await page.GetByRole(AriaRole.Button, new() { Name = "Отправить заявку" }).ClickAsync();

        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("зарегистрирована");
        var filed = await WithDbAsync(db => db.Tickets.OrderByDescending(t => t.Id).FirstAsync());
        Assert.Equal(Reglament.Tickets.Channel.WebPortal, filed.Channel);
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync(filed.Number.ToString());
        await Assertions.Expect(page.Locator("#decision")).ToContainTextAsync("Заявка принята");
        await Shot(page, "portal-07-request-filed");
        AssertNoScriptErrors();
    }

    [GeneratedRegex(@"https?://[^\s]+/portal/link/[A-Za-z0-9_-]+")]
    private static partial Regex LinkInMail();
}

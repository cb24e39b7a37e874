using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Reglament.BrowserTests;

/// <summary>An engineer's morning in Debian's chromium: sign in, take the most urgent ticket, answer with a
/// knowledge-base link, change a criticality with a reason. Screenshots go to TestResults/screenshots.</summary>
public sealed class AgentConsoleTests : DeskInBrowser
{
    protected override Dictionary<string, string?> Settings => new() { ["Knowledge:AutoAnswer"] = "false" };

    [Fact]
    public async Task Engineer_SignsIn_AnswersTheMostUrgentTicket_AndChangesACriticality()
    {
        var page = await NewPageAsync();

        await page.GotoAsync(BaseUrl + "/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
        await Shot(page, "01-sign-in");
        await page.GetByLabel("Логин").FillAsync("engineer");
        await page.GetByLabel("Пароль").FillAsync("demo-engineer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Войти" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Очередь заявок");
        var urgent = await WithDbAsync(db => db.Tickets.Where(t => t.ResponseDeadline != null && t.FirstRespondedAt == null)
            .OrderBy(t => t.ResponseDeadline).FirstAsync());
        var firstRow = page.Locator("table.queue tbody tr").First;
        await Assertions.Expect(firstRow.Locator("td.number")).ToHaveTextAsync(urgent.Number.ToString());
        await Assertions.Expect(firstRow).ToContainTextAsync("рабочего времени");
        await Shot(page, "02-queue");

        await firstRow.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(urgent.Number.ToString());
        var insert = page.Locator("a.insert").First;
        await insert.ClickAsync();
        await Assertions.Expect(page.Locator("#ReplyText")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/kb/article/\\d{6}$"));
        var link = await page.Locator("#ReplyText").InputValueAsync();
        await page.Locator("#ReplyText").FillAsync("Здравствуйте! Инструкция по вашему вопросу: " + link);
        await Shot(page, "03-ticket");
        await page.GetByRole(AriaRole.Button, new() { Name = "Отправить ответ" }).ClickAsync();
        // In the thread: the side panel's deadline explanation names «ответ инженера» too.
        await Assertions.Expect(page.Locator(".thread section").Filter(new() { HasText = "ответ инженера" })).ToContainTextAsync("/kb/article/");

        // The most urgent ticket is often already Critical: the engineer lowers it then, otherwise raises it.
        var target = urgent.Criticality == Reglament.Tickets.Criticality.Critical ? Reglament.Tickets.Criticality.Urgent : Reglament.Tickets.Criticality.Critical;
        await page.Locator("#NewCriticality").SelectOptionAsync(target.ToString());
        await page.Locator("#criticality-reason").FillAsync("у абонента стоит интернет-магазин");
        await page.GetByRole(AriaRole.Button, new() { Name = "Изменить критичность" }).ClickAsync();
        // The audit trail is in the thread now: the change is an event line, in words, with the reason.
        await Assertions.Expect(page.Locator(".thread p.event:has(.event-action[data-action='criticality.changed'])"))
            .ToContainTextAsync("у абонента стоит интернет-магазин");
        await Shot(page, "04-ticket-after");

        var after = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == urgent.Id));
        Assert.Equal(target, after.Criticality);
        Assert.NotEqual(urgent.ResponseDeadline, after.ResponseDeadline);
        Assert.Equal(Tuesday10Msk, after.FirstRespondedAt);
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Queue_CountdownIsLive()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        var urgent = await WithDbAsync(db => db.Tickets.Where(t => t.ResponseDeadline != null && t.FirstRespondedAt == null && t.Status != Reglament.Tickets.TicketStatus.Refused)
            .OrderBy(t => t.ResponseDeadline).FirstAsync());
        var countdown = page.Locator($".countdown[data-ticket='{urgent.Number}']");
        await Assertions.Expect(countdown).ToContainTextAsync("осталось");

        // The page asks the server every half minute and when it becomes visible again; the server's clock moves on
        // past the deadline, the page is shown again, and the same row now counts overdue time in red.
        Clock.Reset(urgent.ResponseDeadline!.Value + NodaTime.Duration.FromMinutes(5));
        await page.EvaluateAsync("document.dispatchEvent(new Event('visibilitychange'))");
        await Assertions.Expect(countdown).ToContainTextAsync("просрочено на 5 мин");
        await Assertions.Expect(page.Locator($"td.sla[data-ticket='{urgent.Number}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("sla-Breached"));
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task AnHtmlMail_IsShownInItsSandboxedFrame_WithItsPicture()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var mail = ("From: it@romashka.example.ru\r\nSubject: 502 on the site\r\nMessage-ID: <browser-html@romashka.example.ru>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            + "<p style=\"color:#b00\">Логин u10001. Сайт отвечает <b>502 Bad Gateway</b>, перезапуск php-fpm не помог, в логе upstream timed out.</p><script>alert(1)</script>\r\n"
            + "--b\r\nContent-Type: image/png; name=\"screen.png\"\r\nContent-Disposition: attachment; filename=\"screen.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(png) + "\r\n--b--\r\n");
        Reglament.Tickets.TicketNumber number;
        await using (var scope = App.Services.CreateAsyncScope())
            number = (await scope.ServiceProvider.GetRequiredService<Reglament.Mail.MailIngestion>().IngestAsync(System.Text.Encoding.UTF8.GetBytes(mail), cancellationToken: TestContext.Current.CancellationToken)).Ticket!.Value;

        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        await page.GotoAsync($"{BaseUrl}/desk/ticket/{number}");
        await page.Locator("details.mail-html summary").ClickAsync();
        var frame = page.FrameLocator("iframe.mail-html");
        await Assertions.Expect(frame.Locator("b")).ToHaveTextAsync("502 Bad Gateway");
        await Assertions.Expect(page.Locator("img.attachment-image")).ToHaveJSPropertyAsync("naturalWidth", 1);
        await Shot(page, "05-ticket-html-mail");
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task TheLanguageSwitch_TurnsTheQueueEnglish_AndBack()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        await page.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Queue");
        await Assertions.Expect(page.Locator("form.filters")).ToContainTextAsync("Criticality");
        await Assertions.Expect(page.Locator("form.filters")).Not.ToContainTextAsync("Критичность");
        await Shot(page, "06-queue-english");
        await page.GetByRole(AriaRole.Button, new() { Name = "RU", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Очередь заявок");
        AssertNoScriptErrors();
    }
}

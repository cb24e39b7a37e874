using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Mail;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>An engineer's day in chromium, in Russian and in English: search the queue, take a ticket, answer with a
/// supervisor's canned reply, then settle two tickets at once with a bulk change. Screenshots of every step go to
/// TestResults/screenshots (day-ru-…, day-en-…).</summary>
public sealed class EngineersDayTests : DeskInBrowser
{
    protected override Dictionary<string, string?> Settings => new() { ["Knowledge:AutoAnswer"] = "false" };

    [Theory]
    [InlineData("ru")]
    [InlineData("en")]
    public async Task Search_Assign_ReplyWithACannedReply_AndABulkChange(string language)
    {
        var english = language == "en";
        string T(string russian, string englishText) => english ? englishText : russian;
        await WithDbAsync(async db =>
        {
            await CannedReplies.SaveAsync(db, null, "Проверьте ещё раз", "Здравствуйте! По заявке {ticket} всё исправлено, проверьте, пожалуйста.", "supervisor", NodaTime.Instant.FromUtc(2026, 12, 7, 9, 0), default);
            return await db.SaveChangesAsync();
        });
        var open = await WithDbAsync(db => db.Tickets.Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Open)
            .Where(t => t.Messages.Any(m => m.Direction == MessageDirection.Inbound)).OrderBy(t => t.Id).Take(2).ToListAsync());
        Assert.Equal(2, open.Count);
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        if (english)
            await page.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();

        // Search: a word of the first ticket's subject, in another form is fine; the ticket is found.
        var word = open[0].Subject.Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderByDescending(w => w.Length).First().Trim('«', '»', '"', ',', '.', ':');
        await page.Locator("input[type=search]").FillAsync(word);
        await page.Locator("input[type=search]").PressAsync("Enter");
        var row = page.Locator("table.queue tbody tr").Filter(new() { HasText = open[0].Number.ToString() });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Shot(page, $"day-{language}-01-search");

        // Take it and answer with the canned reply, read before sending.
        await row.Locator("td.number a").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = T("Взять себе", "Assign to me") }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("engineer");
        await page.Locator("#CannedKey").SelectOptionAsync(new SelectOptionValue { Label = "Проверьте ещё раз" });
        await page.GetByRole(AriaRole.Button, new() { Name = T("Вставить шаблон", "Insert") }).ClickAsync();
        await Assertions.Expect(page.Locator("#ReplyText")).ToHaveValueAsync($"Здравствуйте! По заявке {open[0].Number} всё исправлено, проверьте, пожалуйста.");
        await Shot(page, $"day-{language}-02-canned-reply");
        await page.GetByRole(AriaRole.Button, new() { Name = T("Отправить ответ", "Send reply") }).ClickAsync();
        await Assertions.Expect(page.Locator("#ReplyText")).ToHaveValueAsync("");

        // Back in the queue: both tickets resolved at once, with a reason.
        await page.GotoAsync(BaseUrl + "/?status=all");
        foreach (var ticket in open)
            await page.Locator($"input[name=Selected][value='{ticket.Number}']").CheckAsync();
        await page.Locator("input[name=BulkAction][value=Status]").CheckAsync();
        await page.Locator("select[name=BulkStatus]").SelectOptionAsync("Resolved");
        await page.Locator("input[name=BulkReason]").FillAsync(T("проверено с абонентом", "checked with the subscriber"));
        await page.GetByRole(AriaRole.Button, new() { Name = T("Применить", "Apply") }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-result")).ToContainTextAsync(T("Изменено заявок: 2.", "Tickets changed: 2."));
        await Shot(page, $"day-{language}-03-bulk");

        var after = await WithDbAsync(db => db.Tickets.Where(t => open.Select(o => o.Id).Contains(t.Id)).ToListAsync());
        Assert.All(after, t => Assert.Equal(TicketStatus.Resolved, t.Status));
        Assert.Equal("engineer", after.Single(t => t.Id == open[0].Id).Assignee);
        Assert.True(await WithDbAsync(db => db.Outbox.AnyAsync(o => o.TicketId == open[0].Id && o.Kind == OutgoingKind.EngineerReply)));
        AssertNoScriptErrors();
    }
}

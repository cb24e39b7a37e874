using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>Working the queue in Debian's chromium: search for a word in another inflection than the ticket has it, open
/// the ticket found, hand it to a colleague, then back to nobody, and find it under «без исполнителя».</summary>
public sealed class WorkingTheQueueTests : DeskInBrowser
{
    protected override Dictionary<string, string?> Settings => new() { ["Knowledge:AutoAnswer"] = "false" };

    [Fact]
    public async Task Engineer_SearchesTheQueue_AssignsTheTicketToAColleague_AndUnassignsIt()
    {
        // A word no demo ticket has, in a colleague's note: search must find it in another form («кракозябрами»).
        var ticket = await WithDbAsync(async db =>
        {
            var open = await db.Tickets.Where(t => t.SubscriberId != null && t.Status != TicketStatus.Refused).OrderBy(t => t.Id).FirstAsync();
            open.Messages.Add(new Message { Direction = MessageDirection.InternalNote, At = Tuesday10Msk, Author = "supervisor", Subject = open.Subject, Body = "Абонент пишет, что на сайте кракозябры" });
            await db.SaveChangesAsync();
            return open;
        });
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");

        await page.GetByLabel("Поиск").FillAsync("кракозябрами");
        await page.GetByRole(AriaRole.Button, new() { Name = "Показать" }).ClickAsync();
        await Assertions.Expect(page.Locator("#found")).ToContainTextAsync("найдено заявок: 1");
        var row = page.Locator("table.queue tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("mark")).ToHaveTextAsync("кракозябры");
        await Shot(page, "queue-01-search");

        await row.GetByRole(AriaRole.Link, new() { Name = ticket.Number.ToString() }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(ticket.Number.ToString());
        await page.Locator("#assign-to").SelectOptionAsync("supervisor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Назначить", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#assignee")).ToHaveTextAsync("supervisor");
        await Shot(page, "queue-02-assigned");

        await page.Locator("#assign-to").SelectOptionAsync(TicketFilter.Nobody);
        await page.GetByRole(AriaRole.Button, new() { Name = "Назначить", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#assignee")).ToHaveTextAsync("—");
        var audit = await WithDbAsync(db => db.AuditEvents.Where(a => a.TicketId == ticket.Id && (a.Action == Assignments.Assigned || a.Action == Assignments.Unassigned)).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([Assignments.Assigned, Assignments.Unassigned], audit);

        await page.GotoAsync(BaseUrl + "/");
        await page.Locator("#view-unassigned").ClickAsync();
        await Assertions.Expect(page.Locator($"table.queue a[href='/desk/ticket/{ticket.Number}']")).ToBeVisibleAsync();
        AssertNoScriptErrors();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>Live pages in Debian's chromium: a change stored while the queue is open (here straight into the database,
/// as another node or intake would) shows the «обновить» note through the page's EventSource; the reload shows it.</summary>
public sealed class LiveUpdatesTests : DeskInBrowser
{
    protected override Dictionary<string, string?> Settings => new() { ["Web:Live:Interval"] = "00:00:00.200" };

    [Fact]
    public async Task AChangeStoredElsewhere_ShowsTheReloadNote_OnTheOpenQueue()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        // As served the note is hidden (what the script does after that depends on what the desk's own workers store).
        var served = await page.GotoAsync(BaseUrl + "/");
        Assert.Contains("id=\"live-changed\" class=\"live\" hidden", await served!.TextAsync(), StringComparison.Ordinal);
        var note = page.Locator("#live-changed");

        var id = await WithDbAsync(db => db.Tickets.Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Open).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        await WithDbAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            ticket.Assignee = "supervisor";
            ticket.AuditEvents.Add(new AuditEvent { At = ticket.ReceivedAt, Actor = "another-node", Action = Assignments.Assigned, Details = "— → supervisor" });
            return await db.SaveChangesAsync();
        });

        await Assertions.Expect(note).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(note).ToContainTextAsync("В очереди есть изменения.");
        await Shot(page, "live-01-queue-changed");
        await note.GetByRole(AriaRole.Link, new() { Name = "Обновить" }).ClickAsync();
        var row = page.Locator("table.queue tbody tr").Filter(new() { HasText = new TicketNumber(id).ToString() });
        await Assertions.Expect(row).ToContainTextAsync("supervisor");
        AssertNoScriptErrors();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>The review band («на проверку») in Debian's chromium. With the threshold above 1 every refusal is proposed,
/// not made, so the demo's two refusals (suspended services, missing authorization information) wait for an engineer:
/// the queue marks and filters them, the ticket shows the proposal, and one click settles it.</summary>
public sealed class ReviewBandTests : DeskInBrowser
{
    protected override Dictionary<string, string?> Settings => new() { ["Policy:Review:RefusalThreshold"] = "1.01" };

    [Fact]
    public async Task Engineer_FindsAFlaggedTicket_SeesTheProposal_AndDismissesItInOneClick()
    {
        var flagged = await WithDbAsync(db => db.Tickets.Where(t => t.Review == ReviewState.Pending).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync());
        Assert.Equal(2, flagged.Count);
        var number = new TicketNumber(flagged[0]).ToString();
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");

        var row = page.Locator("table.queue tbody tr").Filter(new() { HasText = number });
        await Assertions.Expect(row.Locator(".review-flag")).ToHaveTextAsync("на проверку");
        await page.Locator("label.review-filter input").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Показать" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.queue tbody tr")).ToHaveCountAsync(2);
        await Shot(page, "review-01-queue");

        await row.Locator("a").First.ClickAsync();
        var block = page.Locator("section.review");
        await Assertions.Expect(block.Locator("h2")).ToContainTextAsync("На проверку");
        await Assertions.Expect(block.Locator("strong.confidence")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[01]\.\d\d$"));
        await Assertions.Expect(block.Locator("ul.proposed li")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(block.Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Shot(page, "review-02-ticket");

        await block.GetByRole(AriaRole.Button, new() { Name = "Отклонить предложение" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.review-settled")).ToContainTextAsync("отклонён");
        await Assertions.Expect(page.Locator("section.review")).ToHaveCountAsync(0);
        // The audit trail is in the thread: the event line carries its code and says it in words.
        await Assertions.Expect(page.Locator(".thread p.event .event-action[data-action='review.dismissed']")).ToHaveTextAsync("предложенный отказ отклонён");
        await Shot(page, "review-03-dismissed");

        var after = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == flagged[0]));
        Assert.Equal(ReviewState.Dismissed, after.Review);
        Assert.NotEqual(TicketStatus.Refused, after.Status);
        AssertNoScriptErrors();
    }

    [Fact]
    public async Task Engineer_ConfirmsAProposedRefusal_AndTheRefusalGoesToTheOutbox()
    {
        var id = await WithDbAsync(db => db.Tickets.Where(t => t.Review == ReviewState.Pending).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        await page.GotoAsync($"{BaseUrl}/desk/ticket/{new TicketNumber(id)}");

        await page.Locator("section.review input#ReviewComment").FillAsync("проверил договор: услуги приостановлены");
        await page.GetByRole(AriaRole.Button, new() { Name = "Подтвердить отказ" }).ClickAsync();

        await Assertions.Expect(page.Locator("p.review-settled")).ToContainTextAsync("подтверждён");
        await Assertions.Expect(page.Locator("section").Filter(new() { HasText = "Исходящее письмо" }).Filter(new() { HasText = "· отказ ·" })).Not.ToHaveCountAsync(0);
        await Shot(page, "review-04-confirmed");
        var after = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == id));
        Assert.Equal((ReviewState.Confirmed, TicketStatus.Refused), (after.Review, after.Status));
        AssertNoScriptErrors();
    }
}

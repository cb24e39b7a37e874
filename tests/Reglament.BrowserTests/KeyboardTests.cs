using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>Keyboard shortcuts in chromium: «/» the queue's search, «r» and «n» the ticket's reply and note, «g» the queue —
/// and none of them while typing.</summary>
public sealed class KeyboardTests : DeskInBrowser
{
    [Fact]
    public async Task Shortcuts_FocusTheSearchTheReplyAndTheNote_AndGoBackToTheQueue()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        await page.Keyboard.PressAsync("/");
        await Assertions.Expect(page.Locator("input[type=search]")).ToBeFocusedAsync();
        // Typing «g» into the search is text, not a shortcut.
        await page.Keyboard.TypeAsync("g");
        await Assertions.Expect(page.Locator("input[type=search]")).ToHaveValueAsync("g");

        var id = await WithDbAsync(db => db.Tickets.Where(t => t.Status != TicketStatus.Refused).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        await page.GotoAsync($"{BaseUrl}/desk/ticket/{new TicketNumber(id)}");
        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(page.Locator("#ReplyText")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#ReplyText")).ToHaveValueAsync("");
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("n");
        await Assertions.Expect(page.Locator("#NoteText")).ToBeFocusedAsync();
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("g");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Очередь заявок");
        AssertNoScriptErrors();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Reglament.BrowserTests;

/// <summary>R6 in chromium: an engineer registers a legal entity's official letter with its scan and lands on the
/// new ticket, which shows the letter's facts. Screenshots letter-01-form and letter-02-ticket.</summary>
public sealed class OfficialLetterTests : DeskInBrowser
{
    [Fact]
    public async Task Engineer_RegistersALetter_AndSeesTheTicketWithItsFacts()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");

        await page.GetByRole(AriaRole.Link, new() { Name = "Официальное письмо" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Официальное письмо");
        await page.Locator("#find-subscriber").FillAsync("104523");
        await page.GetByRole(AriaRole.Button, new() { Name = "Найти" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chosen")).ToContainTextAsync("u10001");

        await page.Locator("#LetterNumber").FillAsync("42-ОП");
        await page.Locator("#LetterDate").FillAsync("2024-04-22");
        await page.Locator("#Signatory").FillAsync("Генеральный директор Иванов И. И.");
        await page.Locator("#Scan").SetInputFilesAsync(new FilePayload
        {
            Name = "letter-42.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray(),
        });
        await page.Locator("#Subject").FillAsync("Увеличить memory_limit");
        await page.Locator("#Text").FillAsync("Просим увеличить memory_limit в php.ini до 512M для сайта romashka.example.ru.");
        await page.Locator("#ReplyTo").SelectOptionAsync("it@romashka.example.ru");
        await page.Locator("#Verified").CheckAsync();
        await Shot(page, "letter-01-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Зарегистрировать письмо" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/desk/ticket/RG-\\d{6}$"));
        await Assertions.Expect(page.Locator("#letter")).ToContainTextAsync("42-ОП от 22.04.2024");
        await Assertions.Expect(page.Locator("#letter")).ToContainTextAsync("Генеральный директор Иванов И. И.");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("letter-42.pdf");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("official letter No. 42-ОП of 22.04.2024");
        await Shot(page, "letter-02-ticket");

        var ticket = await WithDbAsync(db => db.Tickets.OrderByDescending(t => t.Id).FirstAsync());
        Assert.Equal(Reglament.Tickets.Channel.OfficialLetter, ticket.Channel);
        Assert.EndsWith(ticket.Number.ToString(), page.Url, StringComparison.Ordinal);
        Assert.NotNull(ticket.ResponseDeadline);
        AssertNoScriptErrors();
    }
}

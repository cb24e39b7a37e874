using Microsoft.Playwright;

namespace Reglament.BrowserTests;

/// <summary>A supervisor previews an automatic message in Debian's chromium: the text part and the HTML part in a
/// sandboxed frame, with the sample ticket's facts, under the page's CSP (any console error fails the test).</summary>
public sealed class TemplateEditorTests : DeskInBrowser
{
    [Fact]
    public async Task Supervisor_PreviewsTheAcknowledgement_TextAndHtml()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "supervisor", "demo-supervisor");

        await page.GetByRole(AriaRole.Link, new() { Name = "Шаблоны писем" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Шаблоны автоматических писем");
        await Shot(page, "templates-01-list");
        await page.GetByRole(AriaRole.Link, new() { Name = "Подтверждение заявки" }).ClickAsync();
        await page.Locator("input[name=SubjectRu]").FillAsync("Заявка принята: {subject} <script>alert(1)</script>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Предпросмотр" }).ClickAsync();

        await Assertions.Expect(page.Locator("pre.preview-text")).ToContainTextAsync("Ваша заявка зарегистрирована под номером RG-000042.");
        var html = page.FrameLocator("iframe.mail-preview").Locator("body");
        await Assertions.Expect(html).ToContainTextAsync("Гарантированный срок ответа: 17.03.2026 14:30 (МСК, UTC+03).");
        await Assertions.Expect(html.Locator("a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/kb/article/000032$"));
        Assert.Contains("<script>alert(1)</script>", await page.FrameLocator("iframe.mail-preview").Locator("title").TextContentAsync(), StringComparison.Ordinal);
        await Shot(page, "templates-02-preview");
        // A full-page shot leaves the sandboxed frame blank (chromium draws it in its own process): the frame alone.
        var frame = await page.Locator("iframe.mail-preview").ScreenshotAsync();
        Assert.True(frame.Length > 1000);
        await File.WriteAllBytesAsync(Path.Combine(ScreenshotDirectory(), "templates-03-html-part.png"), frame, TestContext.Current.CancellationToken);
        AssertNoScriptErrors();
    }

    private static string ScreenshotDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reglament.slnx")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}

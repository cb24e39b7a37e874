using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>A message's new text, end to end: stored at intake beside the whole body (a new request and a reply with
/// answers between the quoted questions), shown on the ticket page with the rest collapsed, given by the API; a row
/// stored before the column existed falls back to its body.</summary>
public sealed class NewTextTests : IAsyncLifetime
{
    private const string Key = "test-key";
    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;
    private HttpClient api = null!;
    private TicketNumber number;

    private const string Request = """
        Добрый день!

        Логин u10001. С утра сайт romashka.example.ru отвечает 502 Bad Gateway, перезапуск php-fpm не помог.

        С уважением,
        Иван Петров
        ООО «Ромашка»
        +7 (495) 123-45-67

        From: Hosting Sales <sales@example.com>
        Sent: Monday, April 22, 2024 10:15 AM
        To: it@romashka.example.ru
        Subject: Your new plan

        Your plan has been upgraded.
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Api:Keys:0"] = Key, ["Knowledge:AutoAnswer"] = "false" });
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
        api = desk.App.GetTestClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var result = await IngestAsync("newtext-1@romashka.example.ru", "Сайт отдаёт 502", Request);
        number = result.Ticket!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private async Task<Reglament.Intake.IntakeResult> IngestAsync(string messageId, string subject, string body, string? inReplyTo = null)
    {
        var mail = $"""
            From: it@romashka.example.ru
            To: support@example.com
            Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(subject))}?=
            Message-ID: <{messageId}>
            {(inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\n")}MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n")), Base64FormattingOptions.InsertLineBreaks)}
            """.ReplaceLineEndings("\r\n");
        await using var scope = desk.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(Encoding.UTF8.GetBytes(mail), cancellationToken: Token);
        Assert.NotNull(result.Ticket);
        return result;
    }

    private async Task<List<Message>> MessagesAsync()
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Messages.AsNoTracking()
            .Where(m => m.TicketId == number.Value && m.Direction == MessageDirection.Inbound).OrderBy(m => m.Id).ToListAsync(Token);
    }

    [Fact]
    public async Task ANewRequest_StoresItsNewText_BesideTheWholeBody()
    {
        var message = Assert.Single(await MessagesAsync());

        Assert.Equal("Добрый день!\n\nЛогин u10001. С утра сайт romashka.example.ru отвечает 502 Bad Gateway, перезапуск php-fpm не помог.\n\n"
            + "С уважением,\nИван Петров\nООО «Ромашка»\n+7 (495) 123-45-67", message.NewText);
        Assert.Contains("Your plan has been upgraded.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReply_KeepsTheAnswersBetweenTheQuotes()
    {
        await IngestAsync("newtext-2@romashka.example.ru", $"Re: [{number}] Сайт отдаёт 502", """
            12.04.2024 10:15, Служба поддержки пишет:
            > Когда началось?

            Сегодня в 9:00.

            > Что показывает лог?

            upstream timed out (110: Connection timed out)

            --
            Иван
            """, inReplyTo: "newtext-1@romashka.example.ru");

        var reply = (await MessagesAsync())[^1];

        Assert.Equal("Сегодня в 9:00.\n\nupstream timed out (110: Connection timed out)", reply.NewText);
    }

    [Fact]
    public async Task TheTicketPage_ShowsTheNewText_AndCollapsesTheRest()
    {
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/desk/ticket/{number}"));

        var shown = page.IndexOf("<pre class=\"body\">Добрый день!\n\nЛогин u10001.", StringComparison.Ordinal);
        var collapsed = page.IndexOf("<details class=\"quoted\">", StringComparison.Ordinal);
        var quote = page.IndexOf("Your plan has been upgraded.", StringComparison.Ordinal);
        Assert.True(shown >= 0 && collapsed > shown && quote > collapsed, "the new text first, the whole message inside <details>");
    }

    [Fact]
    public async Task TheApi_GivesTheBodyAndTheNewText()
    {
        var ticket = await api.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);

        var message = ticket.GetProperty("messages")[0];
        Assert.StartsWith("Добрый день!\n\nЛогин u10001.", message.GetProperty("newText").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Your plan", message.GetProperty("newText").GetString(), StringComparison.Ordinal);
        Assert.Contains("Your plan has been upgraded.", message.GetProperty("body").GetString(), StringComparison.Ordinal);
        // What support mailed is what support wrote: its new text is its body.
        var outbound = ticket.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("direction").GetString() == "Outbound");
        Assert.Equal(outbound.GetProperty("body").GetString(), outbound.GetProperty("newText").GetString());
    }

    [Fact]
    public async Task ARowStoredBeforeTheColumn_IsShownByItsBody()
    {
        await using (var scope = desk.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            await db.Messages.Where(m => m.TicketId == number.Value).ExecuteUpdateAsync(s => s.SetProperty(m => m.NewText, (string?)null), Token);
        }

        var ticket = await api.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);
        var message = ticket.GetProperty("messages")[0];
        Assert.Equal(message.GetProperty("body").GetString(), message.GetProperty("newText").GetString());
        var page = await browser.GetStringAsync($"/desk/ticket/{number}");
        Assert.DoesNotContain("<details class=\"quoted\">", page, StringComparison.Ordinal);
    }
}

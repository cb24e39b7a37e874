using System.Net;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>An HTML mail with a screenshot and a document on the engineer's ticket page: the text in the page, the
/// sanitized HTML in a sandboxed frame of its own, the picture shown, the document as a download.</summary>
public sealed class ConversationTests : IAsyncLifetime
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;
    private Ticket ticket = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new() { ["Knowledge:AutoAnswer"] = "false" });
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
        var mail = $"""
            From: it@romashka.example.ru
            To: support@example.com
            Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes("Сайт отдаёт 502"))}?=
            Message-ID: <conversation-1@romashka.example.ru>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: text/html; charset=utf-8

            <html><body><p style="color:red">Логин u10001. С утра сайт romashka.example.ru отвечает <b>502 Bad Gateway</b>.</p>
            <p>Перезапускали php-fpm из панели, не помогло. Ошибка в логе: upstream timed out.</p>
            <script>alert('x')</script><img src="https://tracker.example/pixel.gif"></body></html>
            --outer
            Content-Type: image/png; name="screen.png"
            Content-Disposition: attachment; filename="screen.png"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Png)}
            --outer
            Content-Type: application/pdf; name="invoice.pdf"
            Content-Disposition: attachment; filename="invoice.pdf"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Encoding.ASCII.GetBytes("%PDF-1.4 test"))}
            --outer--
            """.ReplaceLineEndings("\r\n");
        await using var scope = desk.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(Encoding.UTF8.GetBytes(mail), cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotNull(result.Ticket);
        ticket = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.AsNoTracking()
            .Include(t => t.Messages).ThenInclude(m => m.Attachments).SingleAsync(t => t.Id == result.Ticket!.Value.Value, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private Message Mail => ticket.Messages.Single(m => m.Direction == MessageDirection.Inbound);

    [Fact]
    public async Task TheTicketPage_FramesTheHtml_ShowsThePicture_AndLinksTheDocument()
    {
        var page = await browser.GetStringAsync($"/desk/ticket/{ticket.Number}");
        var png = Mail.Attachments.Single(a => a.FileName == "screen.png");
        var pdf = Mail.Attachments.Single(a => a.FileName == "invoice.pdf");
        Assert.Contains($"<iframe class=\"mail-html\" sandbox=\"\" title=\"HTML\" src=\"/desk/ticket/{ticket.Number}?handler=Html&amp;message={Mail.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains($"<img class=\"attachment-image\" src=\"/desk/ticket/{ticket.Number}?handler=Attachment&amp;id={png.Id}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"<img class=\"attachment-image\" src=\"/desk/ticket/{ticket.Number}?handler=Attachment&amp;id={pdf.Id}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>502", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHtml_IsSanitized_AndServedUnderItsOwnSandboxPolicy()
    {
        var response = await browser.GetAsync($"/desk/ticket/{ticket.Number}?handler=Html&message={Mail.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Reglament.Web.Conversation.HtmlContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("SAMEORIGIN", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<b>502 Bad Gateway</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert(", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APicture_IsShownAsAPicture_ADocument_IsADownload()
    {
        var png = await browser.GetAsync($"/desk/ticket/{ticket.Number}?handler=Attachment&id={Mail.Attachments.Single(a => a.FileName == "screen.png").Id}");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await png.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        var pdf = await browser.GetAsync($"/desk/ticket/{ticket.Number}?handler=Attachment&id={Mail.Attachments.Single(a => a.FileName == "invoice.pdf").Id}");
        Assert.Equal("application/octet-stream", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", pdf.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task AnInlineImage_ReferencedByCid_IsShownInTheFrame_AsTheMailsOwnPicture()
    {
        var mail = $"""
            From: it@romashka.example.ru
            To: support@example.com
            Subject: Screenshot of the error
            Message-ID: <conversation-cid@romashka.example.ru>
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary="rel"

            --rel
            Content-Type: text/html; charset=utf-8

            <p>Логин u10001. Сайт выдаёт 502, перезапуск php-fpm не помог, скриншот ошибки ниже:</p><img src="cid:screen1@romashka" alt="screen"><img src="cid:missing@romashka">
            --rel
            Content-Type: image/png
            Content-ID: <screen1@romashka>
            Content-Disposition: inline
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Png)}
            --rel--
            """.ReplaceLineEndings("\r\n");
        Message inline;
        await using (var scope = desk.App.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(Encoding.UTF8.GetBytes(mail), cancellationToken: TestContext.Current.CancellationToken);
            inline = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Messages.AsNoTracking().Include(m => m.Attachments)
                .SingleAsync(m => m.TicketId == result.Ticket!.Value.Value, TestContext.Current.CancellationToken);
        }
        Assert.Equal("screen1@romashka", Assert.Single(inline.Attachments).ContentId);

        var html = await browser.GetStringAsync($"/desk/ticket/{new TicketNumber(inline.TicketId)}?handler=Html&message={inline.Id}");
        Assert.Contains($"src=\"data:image/png;base64,{Convert.ToBase64String(Png)}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cid:screen1", html, StringComparison.Ordinal);
        // A reference to a part the mail does not have stays a dead reference: nothing is fetched.
        Assert.Contains("cid:missing@romashka", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_ReadsAFileThroughAnotherTicket_OrWithoutSigningIn()
    {
        var other = await browser.GetAsync($"/desk/ticket/RG-000001?handler=Attachment&id={Mail.Attachments[0].Id}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var anonymous = desk.App.GetTestClient();
        var response = await anonymous.GetAsync($"/desk/ticket/{ticket.Number}?handler=Html&message={Mail.Id}", TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}

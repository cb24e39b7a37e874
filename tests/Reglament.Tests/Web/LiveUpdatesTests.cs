using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>Live pages (issue 16): the queue's and a ticket's event stream reports a change stored after the page was
/// drawn — by anyone, on any node, since it reads the database — and a ticket's stream ignores other tickets. The
/// stream's own heartbeats mark each look, so the tests wait for looks, never for time.</summary>
public sealed partial class LiveUpdatesTests : IAsyncLifetime
{
    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk, new Dictionary<string, string?>
        {
            ["Web:Live:Interval"] = "00:00:00.050",
            ["Knowledge:AutoAnswer"] = "false",
        });
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex("data-live=\"([^\"]+)\"")]
    private static partial Regex LiveAddress();

    private async Task<string> LiveUrlAsync(string page) =>
        WebUtility.HtmlDecode(LiveAddress().Match(await browser.GetStringAsync(page)).Groups[1].Value);

    private async Task NoteAsync(long ticketId, string action)
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        db.AuditEvents.Add(new AuditEvent { TicketId = ticketId, At = TestDesk.Tuesday10Msk, Actor = "another-node", Action = action });
        await db.SaveChangesAsync(Token);
    }

    /// <summary>Two refused demo tickets: no deadline, so the desk's own workers (the SLA watcher) never add to them while
    /// a test watches.</summary>
    private async Task<List<Ticket>> TicketsAsync()
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        var tickets = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.AsNoTracking()
            .Where(t => t.Status == TicketStatus.Refused).OrderBy(t => t.Id).Take(2).ToListAsync(Token);
        Assert.Equal(2, tickets.Count);
        return tickets;
    }

    /// <summary>Reads the stream's lines until <paramref name="stop"/> says so; a minute at most, so a broken stream fails
    /// the test instead of hanging it.</summary>
    private static async Task<List<string>> ReadUntilAsync(StreamReader reader, Func<List<string>, bool> stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        var lines = new List<string>();
        while (!stop(lines))
        {
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("the stream ended: " + string.Join(" | ", lines));
            lines.Add(line);
        }
        return lines;
    }

    private static int Looks(List<string> lines) => lines.Count(l => l == ": ");

    [Fact]
    public async Task TheQueuesStream_ReportsAChangeStoredAfterThePageWasDrawn()
    {
        var url = await LiveUrlAsync("/");
        Assert.StartsWith("/desk/events?since=", url, StringComparison.Ordinal);
        var ticket = (await TicketsAsync())[0];
        // Stored between the page and the stream: still reported, because the page said what it showed.
        await NoteAsync(ticket.Id, "status.changed");

        using var response = await browser.OpenAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        var lines = await ReadUntilAsync(reader, l => l.Contains("event: changed"));
        Assert.Equal(0, Looks(lines));
    }

    [Fact]
    public async Task ATicketsStream_IgnoresOtherTickets_AndReportsItsOwn()
    {
        var tickets = await TicketsAsync();
        var (mine, other) = (tickets[0], tickets[1]);
        var url = await LiveUrlAsync($"/desk/ticket/{mine.Number}");
        Assert.Contains($"ticket={mine.Number}", url, StringComparison.Ordinal);

        using var response = await browser.OpenAsync(url, Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        await ReadUntilAsync(reader, l => l.Contains(": open"));
        await NoteAsync(other.Id, "assigned");
        // Three looks after the other ticket changed, and still nothing to report.
        var quiet = await ReadUntilAsync(reader, l => Looks(l) >= 3 || l.Contains("event: changed"));
        Assert.DoesNotContain("event: changed", quiet);

        await NoteAsync(mine.Id, "assigned");
        await ReadUntilAsync(reader, l => l.Contains("event: changed"));
    }

    [Fact]
    public async Task AStream_OfAnUnknownTicket_IsNotFound_AndStrangersGetNone()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/desk/events?ticket=RG-999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/desk/events?ticket=nonsense")).StatusCode);
        using var stranger = new StaffBrowser(desk.App);
        var response = await stranger.GetAsync("/desk/events");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}

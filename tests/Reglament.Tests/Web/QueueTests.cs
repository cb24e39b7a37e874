using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>The queue page: the default view is the work still on support's side, and the countdown the page's
/// script refreshes comes from the server's working-time calendar.</summary>
public sealed class QueueTests : IAsyncLifetime
{
    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk);
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private async Task<List<Ticket>> TicketsAsync()
    {
        await using var scope = desk.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReglamentDb>().Tickets.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Queue_ShowsTheWorkingTimeLeft_AndTheMostUrgentFirst()
    {
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("рабочего времени", queue, StringComparison.Ordinal);
        var urgent = (await TicketsAsync()).Where(t => t.ResponseDeadline != null).OrderBy(t => t.ResponseDeadline).First();
        var first = System.Text.RegularExpressions.Regex.Match(queue, "/desk/ticket/(RG-\\d{6})");
        Assert.Equal(urgent.Number.ToString(), first.Groups[1].Value);
    }

    [Fact]
    public async Task Filters_NarrowTheQueue()
    {
        var tickets = await TicketsAsync();
        var refused = tickets.Where(t => t.Status == TicketStatus.Refused).ToList();
        var accepted = tickets.Where(t => t.Status != TicketStatus.Refused).ToList();
        Assert.NotEmpty(refused);
        Assert.NotEmpty(accepted);
        var page = await browser.GetStringAsync("/?status=Refused");
        Assert.All(refused, t => Assert.Contains(t.Number.ToString(), page, StringComparison.Ordinal));
        Assert.All(accepted, t => Assert.DoesNotContain($"/desk/ticket/{t.Number}\"", page, StringComparison.Ordinal));
        Assert.Contains("0 заявок", await browser.GetStringAsync("/?subscriber=nobody"), StringComparison.Ordinal);
        Assert.Contains($"{tickets.Count} заявок", await browser.GetStringAsync("/?status=all&assignee=-"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultViewLeavesOutRefusedTickets_AllShowsThem()
    {
        var tickets = await TicketsAsync();
        var refused = tickets.Where(t => t.Status == TicketStatus.Refused).ToList();
        var open = tickets.Where(t => t.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.AwaitingSubscriber).ToList();
        Assert.NotEmpty(refused);
        Assert.NotEmpty(open);

        var page = await browser.GetStringAsync("/");
        Assert.All(open, t => Assert.Contains(t.Number.ToString(), page, StringComparison.Ordinal));
        Assert.All(refused, t => Assert.DoesNotContain(">" + t.Number + "<", page, StringComparison.Ordinal));

        var all = await browser.GetStringAsync("/?status=all");
        Assert.All(tickets, t => Assert.Contains(">" + t.Number + "<", all, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Countdowns_FollowTheWorkingTimeClock()
    {
        var ticket = (await TicketsAsync()).Where(t => t.ResponseDeadline != null && t.FirstRespondedAt == null && t.Status != TicketStatus.Refused)
            .OrderBy(t => t.ResponseDeadline).First();
        var url = $"/desk/countdowns?n={ticket.Number}&n=RG-999999&n=nonsense";

        var before = await CountdownAsync(url, ticket);
        Assert.StartsWith("осталось", before.GetProperty("text").GetString(), StringComparison.Ordinal);

        // Past the deadline in working time: the same cell now says overdue and the state is breached.
        var clock = (FakeClock)desk.App.Services.GetRequiredService<IClock>();
        clock.Reset(ticket.ResponseDeadline!.Value + Duration.FromMinutes(30));
        var after = await CountdownAsync(url, ticket);
        Assert.StartsWith("просрочено", after.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Breached", after.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Countdowns_AreForStaffOnly()
    {
        using var anonymous = desk.App.GetTestClient();
        var response = await anonymous.GetAsync("/desk/countdowns?n=RG-000001", TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> CountdownAsync(string url, Ticket ticket)
    {
        using var json = JsonDocument.Parse(await browser.GetStringAsync(url));
        var entry = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal(ticket.Number.ToString(), entry.Name);
        return entry.Value.Clone();
    }
}

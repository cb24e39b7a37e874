using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>axe-core over the engineer's and the supervisor's screens in chromium: no serious or critical violation.</summary>
public sealed class AccessibilityTests : DeskInBrowser
{
    [Fact]
    public async Task TheDesksScreens_HaveNoSeriousAccessibilityViolations()
    {
        var ticket = await WithDbAsync(db => db.Tickets.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        var page = await NewPageAsync();
        await SignInAsync(page, "supervisor", "demo-supervisor");
        var problems = new List<string>();
        foreach (var url in new[] { "/", $"/desk/ticket/{new TicketNumber(ticket)}", "/kb", "/admin/replies", "/admin/templates", "/admin/subscribers", "/admin/quarantine", "/reports" })
        {
            await page.GotoAsync(BaseUrl + url);
            var result = await page.RunAxe();
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{url}: {v.Id} ({v.Impact}) {v.Help} — {string.Join("; ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        AssertNoScriptErrors();
    }
}

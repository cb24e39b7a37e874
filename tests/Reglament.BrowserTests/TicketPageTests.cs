using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Reglament.Intake;
using Reglament.Tickets;

namespace Reglament.BrowserTests;

/// <summary>The conversation-first ticket page in chromium, in Russian and in English: the thread with the reply box at
/// its end, the side panel beside it with the subscriber card (his other open ticket, filed here, linked) and the working-time
/// countdown, the decision's evidence folded until asked for, and on a narrow screen the panel below the thread.
/// Screenshots ticket-ru-01-wide, ticket-ru-02-narrow and the same in English.</summary>
public sealed class TicketPageTests : DeskInBrowser
{
    [Theory]
    [InlineData("ru")]
    [InlineData("en")]
    public async Task Thread_ThenReply_PanelBesideIt_AndBelowItOnANarrowScreen(string language)
    {
        var english = language == "en";
        // A second request from Ivanov, so that the card on his backup-restore ticket has another open ticket to link.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            const string body = "ID клиента 104524. С утра VPS не отвечает: сайт на нём выдаёт ошибку 504 Gateway Timeout, по SSH не подключиться.";
            await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(new InboundRequest
            {
                Channel = Channel.Email,
                Sender = "ivanov@example.org",
                Subject = "Не работает VPS",
                Body = body,
                ReceivedAt = Tuesday10Msk,
                RawSource = System.Text.Encoding.UTF8.GetBytes($"From: ivanov@example.org\r\nSubject: Не работает VPS\r\n\r\n{body}"),
            }, TestContext.Current.CancellationToken);
        }
        // The page shown is the demo's backup restore (accepted, its deadline running); the new request is the other one.
        var ticket = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Subject == "Восстановить базу из бэкапа"));
        var other = await WithDbAsync(db => db.Tickets.SingleAsync(t => t.Subject == "Не работает VPS"));
        Assert.NotNull(ticket.ResponseDeadline);
        Assert.Contains(other.Status, new[] { TicketStatus.New, TicketStatus.Open, TicketStatus.AwaitingSubscriber });

        var page = await NewPageAsync();
        await SignInAsync(page, "engineer", "demo-engineer");
        if (english)
            await page.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();
        await page.GotoAsync($"{BaseUrl}/desk/ticket/{ticket.Number}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(ticket.Number.ToString());

        // The side panel: who the subscriber is, and his other open ticket one click away.
        var card = page.Locator("aside.ticket-panel #subscriber-card");
        await Assertions.Expect(card).ToContainTextAsync("u10002");
        await Assertions.Expect(card).ToContainTextAsync("104524");
        await Assertions.Expect(card).ToContainTextAsync("ivanov@example.org");
        await Assertions.Expect(card).ToContainTextAsync(english ? "Backup" : "резервное копирование", new() { IgnoreCase = true });
        await Assertions.Expect(card.Locator($"#other-open a[href='/desk/ticket/{other.Number}']")).ToBeVisibleAsync();

        // The deadline in working time, as the queue counts it.
        await Assertions.Expect(page.Locator("aside.ticket-panel #deadline .countdown"))
            .ToContainTextAsync(english ? "of working time left" : "рабочего времени");

        // The evidence is folded: the decision is read first, the rules' findings on demand.
        var evidence = page.Locator("#decision details.evidence").First;
        await Assertions.Expect(evidence.Locator("table")).Not.ToBeVisibleAsync();
        await evidence.Locator("summary").ClickAsync();
        await Assertions.Expect(evidence.Locator("table")).ToBeVisibleAsync();
        await Assertions.Expect(evidence.Locator("td").First).Not.ToBeEmptyAsync();

        // The customer's words first, in proportional type; the reply box under the last entry of the thread.
        var first = page.Locator(".thread section.message.inbound").First;
        await Assertions.Expect(first.Locator("pre.body")).ToContainTextAsync("удалил таблицу orders");
        Assert.NotEqual("monospace", await first.Locator("pre.body").EvaluateAsync<string>("e => getComputedStyle(e).fontFamily"));
        var thread = await Box(page.Locator(".thread"));
        var reply = await Box(page.Locator("#ReplyText"));
        var panel = await Box(page.Locator("aside.ticket-panel"));
        Assert.True(reply.Y >= thread.Y + thread.Height, $"the reply box ({reply.Y}) is below the thread (ends at {thread.Y + thread.Height})");
        Assert.True(panel.X >= thread.X + thread.Width, $"the panel ({panel.X}) is beside the thread (ends at {thread.X + thread.Width})");
        Assert.True(panel.Y < reply.Y, "the panel starts beside the thread, not under it");
        await Shot(page, $"ticket-{language}-01-wide");

        // A narrow screen: one column, the panel after the thread and the reply box.
        await page.SetViewportSizeAsync(480, 900);
        await Assertions.Expect(page.Locator("aside.ticket-panel")).ToBeVisibleAsync();
        thread = await Box(page.Locator(".thread"));
        reply = await Box(page.Locator("#ReplyText"));
        panel = await Box(page.Locator("aside.ticket-panel"));
        Assert.True(panel.Y >= reply.Y + reply.Height, $"the panel ({panel.Y}) is below the reply box (ends at {reply.Y + reply.Height})");
        Assert.True(Math.Abs(panel.X - thread.X) < 1, $"the panel ({panel.X}) and the thread ({thread.X}) share one column");
        Assert.True(panel.X + panel.Width <= 480, "nothing runs off a narrow screen");
        await Shot(page, $"ticket-{language}-02-narrow");
        AssertNoScriptErrors();
    }

    private static async Task<LocatorBoundingBoxResult> Box(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("not shown: " + locator);
}

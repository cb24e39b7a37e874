using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Policy;
using Reglament.Sla;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tests.Policy;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Tests.Sla;

/// <summary>One test per bug of issue #15, each through surfaces that existed before the clock model (the pipeline,
/// the API, overrides, the watcher), so that each failed on the old code and passes on the new.</summary>
public sealed class SlaBugTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly DateTimeZone Moscow = DateTimeZoneProviders.Tzdb["Europe/Moscow"];

    private static Instant Msk(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(Moscow).ToInstant();

    private static async Task<IntakeResult> ProcessAsync(TestDesk desk, InboundRequest request)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, Token);
    }

    private static Task<Ticket> LoadAsync(TestDesk desk, TicketNumber number) =>
        desk.WithAsync(db => db.Tickets.AsNoTracking().Include(t => t.AuditEvents).SingleAsync(t => t.Id == number.Value, Token));

    private static async Task<TestDesk> DeskAsync(string csv, Dictionary<string, string?>? settings = null)
    {
        var desk = await TestDesk.CreateAsync(settings: settings);
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(csv), desk.Clock.GetCurrentInstant()));
        return desk;
    }

    /// <summary>Whether the watcher has a wake-up waiting. A pulse is buffered, so the wait completes synchronously.</summary>
    private static bool Pulsed(SlaSignal signal)
    {
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(TimeSpan.FromDays(1), cancel.Token);
        if (wait.IsCompleted)
            return true;
        cancel.Cancel();
        return false;
    }

    /// <summary>Bug 1: the clock's start was not stored. After an R8 request for information the subscriber's reply
    /// starts the clock, but the explanation, a criticality change and a calendar import all went back to the receipt.</summary>
    [Fact]
    public async Task Bug1_AfterAnInformationRequest_ExplanationCriticalityAndCalendarImport_CountFromTheReply()
    {
        await using var web = await DemoWebApp.StartAsync(Msk(2024, 4, 23, 10), new() { ["Api:Keys:0"] = "k", ["Knowledge:AutoAnswer"] = "false" });
        var clock = (FakeClock)web.App.Services.GetRequiredService<IClock>();
        using var client = web.App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");

        var created = await client.PostAsJsonAsync("/api/requests", new { sender = "it@romashka.example.ru", subject = "Сайт", body = "Логин u10001, admin@romashka.example.ru. Что-то не так с сайтом." }, Token);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("NeedsMoreInformation", body.GetProperty("decision").GetString());
        var number = body.GetProperty("ticket").GetString()!;

        // The details arrive a day later, Wednesday 10:00: Normal (8 h) runs Wednesday 10:00–17:00 and Thursday 07:00–08:00.
        clock.Reset(Msk(2024, 4, 24, 10));
        var reply = await client.PostAsJsonAsync("/api/requests", new { sender = "it@romashka.example.ru", subject = $"Re: [{number}] Сайт", body = "С утра после обновления сайт отдаёт 502 Bad Gateway, в логе nginx: upstream timed out." }, Token);
        Assert.True(reply.IsSuccessStatusCode);

        var ticket = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);
        Assert.Equal("Normal", ticket.GetProperty("ticket").GetProperty("criticality").GetString());
        var deadline = ticket.GetProperty("deadline");
        Assert.Equal("2024-04-25T05:00:00Z", deadline.GetProperty("due").GetString());
        var first = deadline.GetProperty("consumed")[0];
        Assert.Equal("2024-04-24", first.GetProperty("date").GetString());
        Assert.Equal("10:00:00", first.GetProperty("from").GetString());

        // Urgent from the same start: Wednesday 14:00 MSK, not Tuesday's.
        var changed = await client.PostAsJsonAsync($"/api/tickets/{number}/criticality", new { criticality = "Urgent", reason = "магазин не принимает заказы" }, Token);
        var urgent = await changed.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("2024-04-24T11:00:00Z", urgent.GetProperty("deadline").GetProperty("due").GetString());

        // A calendar import recomputes from the stored events, so the same year changes nothing.
        await using (var scope = web.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
            await scope.ServiceProvider.GetRequiredService<TicketDeadlines>().ImportAsync(db, ProductionCalendar.Russia, 2024, "same-2024.json", clock.GetCurrentInstant(), Token);
        }
        var imported = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}", Token);
        Assert.Equal("2024-04-24T11:00:00Z", imported.GetProperty("deadline").GetProperty("due").GetString());

        // The explanation names each event and what it did, in the API and on the ticket page.
        Assert.Equal(["Started", "Paused", "Resumed", "Retargeted"],
            imported.GetProperty("deadline").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("effect").GetString()));
        using var browser = new StaffBrowser(web.App);
        await browser.SignInAsync("engineer", "demo-engineer");
        var page = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/desk/ticket/{number}"));
        Assert.Contains("Запрошена информация (R8)", page, StringComparison.Ordinal);
        Assert.Contains("отсчёт продолжен", page, StringComparison.Ordinal);
        Assert.Contains("24.04.2024 14:00 (МСК, UTC+03)", page, StringComparison.Ordinal);
    }

    /// <summary>Bug 2: a refusal overridden to accepted kept the refusal as its response ("met"), so the ticket never
    /// warned and never breached. Now the clock runs from the receipt and nothing the refusal did counts.</summary>
    [Fact]
    public async Task Bug2_ARefusalOverriddenToAccepted_RunsFromTheReceipt_AndBreaches()
    {
        await using var desk = await DeskAsync(Requests.SubscribersCsv);
        var received = Msk(2024, 4, 23, 10);
        var refused = await ProcessAsync(desk, Requests.Email("it@romashka.test", "Почта", "Не приходят письма", received));
        Assert.Equal(DecisionOutcome.Refused, refused.Decision);

        desk.Clock.Reset(Msk(2024, 4, 23, 10, 30));
        await using (var scope = desk.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<DecisionOverrides>().OverrideAsync(refused.Ticket!.Value, DecisionOutcome.Accepted, RefusalReasons.None,
                "engineer", "логин есть в подписи письма", Token);
            Assert.Null(result.Problem);
        }

        var ticket = await LoadAsync(desk, refused.Ticket!.Value);
        Assert.Null(ticket.FirstRespondedAt);
        var timeline = desk.Services.GetRequiredService<ResponseDeadlines>().Timeline;
        var target = desk.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlaOptions>>().Value.Target(ticket.Criticality);
        Assert.Equal(timeline.Add(received, target), ticket.ResponseDeadline);
        Assert.Equal(SlaState.Breached, SlaStates.Evaluate(ticket, ticket.ResponseDeadline!.Value));

        desk.Clock.Reset(ticket.ResponseDeadline!.Value);
        await desk.Services.GetRequiredService<SlaWatcher>().ProcessDueAsync(Token);
        Assert.Contains((await LoadAsync(desk, ticket.Number)).AuditEvents, a => a.Action == "sla.breached");
    }

    /// <summary>Bug 3: a request for information overridden to accepted got a deadline written directly: no at-risk
    /// instant and no pulse for the watcher, so no warning ever came.</summary>
    [Fact]
    public async Task Bug3_NeedsInformationOverriddenToAccepted_GetsItsAtRiskInstant_AndWakesTheWatcher()
    {
        await using var desk = await DeskAsync(PolicyTable.SubscribersCsv, new() { ["Policy:Authentication:AuthServId"] = "mx.support.test", ["Policy:Authentication:RequireResults"] = "false" });
        var asked = await ProcessAsync(desk, Requests.Email(PolicyTable.A, "Сайт", "Логин u20001, alfa@alfa.test. Что-то не так с сайтом.", Msk(2024, 4, 23, 10)));
        Assert.Equal(DecisionOutcome.NeedsMoreInformation, asked.Decision);
        var signal = desk.Services.GetRequiredService<SlaSignal>();
        while (Pulsed(signal))
        {
        }

        // Accepted at 11:00: Normal (8 h) runs from then; 75 % (6 h) is used at 17:00, the deadline is Wednesday 09:00.
        desk.Clock.Reset(Msk(2024, 4, 23, 11));
        await using (var scope = desk.Scope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<DecisionOverrides>().OverrideAsync(asked.Ticket!.Value, DecisionOutcome.Accepted, RefusalReasons.None,
                "engineer", "описания достаточно, разберёмся", Token);
            Assert.Null(result.Problem);
        }
        Assert.True(Pulsed(signal));

        var ticket = await LoadAsync(desk, asked.Ticket!.Value);
        Assert.Equal(Msk(2024, 4, 24, 9), ticket.ResponseDeadline);
        Assert.Equal(Msk(2024, 4, 23, 17), ticket.AtRiskAt);

        var watcher = desk.Services.GetRequiredService<SlaWatcher>();
        Assert.Equal(Msk(2024, 4, 23, 17), await watcher.ProcessDueAsync(Token));
        desk.Clock.Reset(Msk(2024, 4, 23, 17));
        await watcher.ProcessDueAsync(Token);
        Assert.Contains((await LoadAsync(desk, ticket.Number)).AuditEvents, a => a.Action == "sla.at-risk");
    }

    /// <summary>Bug 4: "не помогло" after an automatic knowledge-base answer reopened the ticket, but the answer stayed
    /// its response, so no deadline ran for the engineer. A reopen starts a fresh response deadline from the reply.</summary>
    [Fact]
    public async Task Bug4_DidNotHelp_AfterAnAutomaticAnswer_StartsAFreshDeadlineFromTheReply()
    {
        await using var desk = await DeskAsync(Requests.SubscribersCsv);
        await using (var scope = desk.Scope())
        {
            var read = Reglament.Knowledge.KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"));
            await scope.ServiceProvider.GetRequiredService<Reglament.Knowledge.KnowledgeBase>().SaveAsync(read.Articles, "test", Token);
        }
        var answered = await ProcessAsync(desk, Requests.Email("it@romashka.test", "Outlook",
            "Здравствуйте! Логин u10001. Как настроить почту в Microsoft Outlook на новом компьютере бухгалтера? Какие серверы и порты указать?", Msk(2024, 4, 23, 10)));
        Assert.Equal(DecisionOutcome.AnsweredFromKnowledgeBase, answered.Decision);
        var number = answered.Ticket!.Value;
        Assert.Equal(SlaState.Met, SlaStates.Evaluate(await LoadAsync(desk, number), Msk(2024, 4, 23, 12)));

        var replyAt = Msk(2024, 4, 24, 15);
        desk.Clock.Reset(replyAt);
        await ProcessAsync(desk, Requests.Email("it@romashka.test", $"Re: {number.SubjectTag}", "Не помогло: Outlook пишет, что сервер отклонил пароль.", replyAt));

        var ticket = await LoadAsync(desk, number);
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Null(ticket.FirstRespondedAt);
        var timeline = desk.Services.GetRequiredService<ResponseDeadlines>().Timeline;
        var target = desk.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlaOptions>>().Value.Target(ticket.Criticality);
        Assert.Equal(timeline.Add(replyAt, target), ticket.ResponseDeadline);
        Assert.Equal(SlaState.OnTrack, SlaStates.Evaluate(ticket, replyAt));
        Assert.Equal(SlaState.Breached, SlaStates.Evaluate(ticket, ticket.ResponseDeadline!.Value));
    }

    /// <summary>Bug 5: Moscow was hard-coded where deadlines are written for people, although <c>Sla:TimeZone</c> is
    /// configurable: an operator in Yekaterinburg got deadlines in Moscow time labelled МСК.</summary>
    [Fact]
    public async Task Bug5_TheAcknowledgementShowsTheDeadlineInTheConfiguredZone()
    {
        await using var desk = await DeskAsync(Requests.SubscribersCsv, new() { ["Sla:TimeZone"] = "Asia/Yekaterinburg" });
        // Tuesday 10:00 in Yekaterinburg (UTC+5) = 05:00 UTC; Urgent, 4 working hours there → 14:00 local = 09:00 UTC.
        var result = await ProcessAsync(desk, Requests.Email("it@romashka.test", "Сайт не работает, ошибка 502", Requests.CompleteIncident, Instant.FromUtc(2024, 4, 23, 5, 0)));

        var ticket = await LoadAsync(desk, result.Ticket!.Value);
        Assert.Equal(Criticality.Urgent, ticket.Criticality);
        Assert.Equal(Instant.FromUtc(2024, 4, 23, 9, 0), ticket.ResponseDeadline);
        var ack = await desk.WithAsync(db => db.Outbox.SingleAsync(o => o.TicketId == ticket.Id && o.Kind == OutgoingKind.Acknowledgement, Token));
        Assert.Contains("23.04.2024 14:00", ack.Body, StringComparison.Ordinal);
        Assert.Contains("UTC+05", ack.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("МСК", ack.Body, StringComparison.Ordinal);
    }
}

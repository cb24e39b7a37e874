using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Mail;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>Issue #18: intake's per-message budget of time and allocated memory (<see cref="IntakeBudget"/>). Nothing
/// here races a clock: the memory budget is far below what any parse allocates, and the time budget is read from a
/// <see cref="TimeProvider"/> that a stage of the test moves forward, so each test has one possible outcome.</summary>
public sealed class IntakeBudgetTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDesk desk = null!;

    public async ValueTask InitializeAsync() => desk = await CreateDeskAsync([]);

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static async Task<TestDesk> CreateDeskAsync(Dictionary<string, string?> settings)
    {
        var created = await TestDesk.CreateAsync(settings: settings);
        await created.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), created.Clock.GetCurrentInstant()));
        return created;
    }

    /// <summary>A legitimate-looking HTML mail of about 600 KB: 20,000 paragraphs, within every work limit.</summary>
    private static byte[] ManyParagraphs() => Encoding.UTF8.GetBytes(
        $"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Журнал ошибок\r\nMessage-ID: <paragraphs@romashka.test>\r\n" +
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>Логин u10001. Сайт не открывается, ошибка 502.</p>" +
        string.Concat(Enumerable.Range(0, 20_000).Select(i => $"<p>строка журнала {i}</p>")) + "</body></html>\r\n");

    [Fact]
    public async Task MemoryBudget_SpentInTheParse_QuarantinesTheMessageWholeAsTooComplex()
    {
        await using var tiny = await CreateDeskAsync(new() { ["Mail:Limits:MaxAllocatedBytes"] = "1048576" });
        var raw = ManyParagraphs();

        await using var scope = tiny.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(raw, cancellationToken: Ct);

        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Equal(QuarantineReason.TooComplex, result.QuarantineReason);
        Assert.Contains("memory budget of 1048576 allocated bytes", result.Explanation, StringComparison.Ordinal);
        var item = await tiny.WithAsync(db => db.Quarantine.SingleAsync(Ct));
        Assert.Equal(raw, item.RawSource);
        Assert.Equal(0, await tiny.WithAsync(db => db.Tickets.CountAsync(Ct)));
    }

    [Fact]
    public async Task DefaultMemoryBudget_LetsTheSameMessageThrough()
    {
        // The time budget out of the way (an hour): this test must not depend on the machine's speed.
        await using var roomy = await CreateDeskAsync(new() { ["Mail:Limits:MaxIntakeTime"] = "01:00:00" });
        await using var scope = roomy.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<MailIngestion>().IngestAsync(ManyParagraphs(), cancellationToken: Ct);

        Assert.True(result.Outcome == IntakeOutcome.TicketCreated, $"{result.Outcome}: {result.Explanation}");
    }

    [Fact]
    public async Task TimeBudget_SpentAmongTheRules_QuarantinesAsTooComplex_AndStoresNothingElse()
    {
        var time = new SteppedTime();
        await using var scope = desk.Scope();
        var ingestion = WithSlowStage(scope.ServiceProvider, time);

        var result = await ingestion.IngestAsync(Mail(), new MailboxPosition("support", 7, 42), Ct);

        Assert.Equal(IntakeOutcome.Quarantined, result.Outcome);
        Assert.Equal(QuarantineReason.TooComplex, result.QuarantineReason);
        // The stage after the slow one notices: the judgement's later stages and the whole outcome chain never ran.
        Assert.Contains("time budget of 30000 ms was spent (noticed at ScreenStage)", result.Explanation, StringComparison.Ordinal);
        Assert.Equal(0, await desk.WithAsync(db => db.Tickets.CountAsync(Ct)));
        Assert.Equal(0, await desk.WithAsync(db => db.Outbox.CountAsync(Ct)));
        Assert.Equal(1, await desk.WithAsync(db => db.Quarantine.CountAsync(Ct)));
        // The mailbox position is recorded with the quarantined item: the message is not read again.
        Assert.Equal(1, await desk.WithAsync(db => db.ProcessedMailboxMessages.CountAsync(Ct)));
    }

    [Fact]
    public async Task TimeBudget_ItemIsReleasedWithoutTheBudget_AsATicket()
    {
        var time = new SteppedTime();
        long id;
        await using (var scope = desk.Scope())
        {
            var result = await WithSlowStage(scope.ServiceProvider, time).IngestAsync(Mail(), cancellationToken: Ct);
            Assert.Equal(QuarantineReason.TooComplex, result.QuarantineReason);
            id = result.QuarantineId!.Value;
        }

        await using var release = desk.Scope();
        var released = await release.ServiceProvider.GetRequiredService<QuarantineRelease>().ReleaseAsync(id, "a.smirnova", Ct);

        Assert.True(released.Released, released.Outcome);
        Assert.Equal(IntakeOutcome.TicketCreated, released.Intake!.Outcome);
    }

    [Fact]
    public void Budget_CheckpointAfterTheTimeIsUp_ThrowsAndSaysWhere()
    {
        var time = new SteppedTime();
        using var budget = IntakeBudget.Start(new IntakeLimits { MaxIntakeTime = TimeSpan.FromSeconds(1) }, time, Ct);
        budget.Check("first");
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Throws<OperationCanceledException>(() => budget.Check("second"));
        Assert.True(budget.IsSpent);
        Assert.True(budget.Token.IsCancellationRequested);
        Assert.Contains("noticed at second", budget.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_CallerCancellation_IsNotTheBudgetSpent()
    {
        using var caller = new CancellationTokenSource();
        using var budget = IntakeBudget.Start(new IntakeLimits(), new SteppedTime(), caller.Token);
        caller.Cancel();

        Assert.Throws<OperationCanceledException>(() => budget.Check("anywhere"));
        Assert.False(budget.IsSpent);
    }

    [Theory]
    [InlineData("Mail:Limits:MaxIntakeTime", "00:00:00")]
    [InlineData("Mail:Limits:MaxIntakeTime", "-00:00:01")]
    [InlineData("Mail:Limits:MaxAllocatedBytes", "0")]
    public async Task ABudgetOfNothing_IsRefusedByTheOptions(string key, string value)
    {
        var error = await Record.ExceptionAsync(async () =>
        {
            await using var bad = await TestDesk.CreateAsync(settings: new() { [key] = value });
            _ = bad.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        });

        Assert.IsType<OptionsValidationException>(error);
    }

    [Fact]
    public void QuoteSplitting_StopsOnACancelledBudget()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => QuotedText.NewText("текст\n> цитата", isForward: false, cancellationToken: cancelled.Token));
    }

    private static byte[] Mail() => Encoding.UTF8.GetBytes(
        $"From: {HostileCorpus.Sender}\r\nTo: support@example.ru\r\nSubject: Сайт\r\nMessage-ID: <slow@romashka.test>\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nЛогин u10001. Сайт не открывается, ошибка 502.\r\n");

    /// <summary>The desk's own intake, with a first judgement stage that takes (on the test's clock) longer than the
    /// default budget of 30 s.</summary>
    private static MailIngestion WithSlowStage(IServiceProvider services, SteppedTime time)
    {
        var db = services.GetRequiredService<ReglamentDb>();
        var real = services.GetRequiredService<IntakePipeline>();
        var slow = new IntakePipeline(db, new Reglament.Sla.SlaSignal(),
            real.Chains with { Judgement = [real.Chains.Judgement[0], new SlowStage(time), .. real.Chains.Judgement.Skip(1)] });
        return new MailIngestion(db, slow, services.GetRequiredService<Reglament.Policy.JudgementModels>(), services.GetRequiredService<IOptions<MailOptions>>(), services.GetRequiredService<IClock>(), time);
    }

    private sealed class SlowStage(SteppedTime time) : IIntakeStage
    {
        public Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return Task.CompletedTask;
        }
    }

    /// <summary>Time that moves only when told, and whose timers never fire: the budget is then spent only where a
    /// checkpoint reads the timestamp, whatever the machine's load.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long ticks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new Never();

        private sealed class Never : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

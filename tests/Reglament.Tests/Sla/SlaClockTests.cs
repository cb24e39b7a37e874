using NodaTime;
using Reglament.Sla;
using Reglament.Tickets;
using Reglament.WorkingTime;

namespace Reglament.Tests.Sla;

/// <summary>The rules of the response clock one by one, on hand-computed instants (docs/working-time.md, «The
/// response clock»). Week of 2024-04-22: Monday to Friday are working days, Saturday 27 April is a working Saturday
/// (transferred), 29–30 April and 1 May are off.</summary>
public sealed class SlaClockTests
{
    private static readonly WorkingTimeline Timeline = new(ProductionCalendar.Russia);
    private static readonly SlaRules Rules = new();

    private static Instant Msk(int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(2024, month, day, hour, minute).InZoneStrictly(DateTimeZoneProviders.Tzdb["Europe/Moscow"]).ToInstant();

    private static SlaReading Read(Instant now, params SlaEvent[] events) => SlaClock.Read(events, Rules, Timeline, now);

    private static SlaEvent Received(Instant at, Criticality criticality = Criticality.Normal, RequestType type = RequestType.Incident) =>
        SlaEvent.Received(at, criticality, type, "rules");

    [Fact]
    public void Received_StartsTheClock_AtRiskAtThreeQuarters()
    {
        var reading = Read(Msk(4, 23, 15), Received(Msk(4, 23, 10)));

        Assert.Equal(Msk(4, 24, 8), reading.Due);
        Assert.Equal(Msk(4, 23, 16), reading.AtRiskAt);
        Assert.Equal(Msk(4, 23, 10), reading.ClockStart);
        Assert.Equal(SlaState.OnTrack, reading.State);
        Assert.Equal(Duration.FromHours(5), reading.Used);
        Assert.Equal(SlaEffect.Started, Assert.Single(reading.Steps).Effect);
    }

    [Fact]
    public void InformationRequest_Pauses_AndTheReplyResumesWithTheTimeLeft()
    {
        // Normal (8 h): 2 h used on Tuesday 10:00–12:00; the rest (6 h) from Thursday 10:00 → Thursday 16:00.
        var events = new[] { Received(Msk(4, 23, 10)), SlaEvent.InformationRequested(Msk(4, 23, 12), "rules"), SlaEvent.InformationReceived(Msk(4, 25, 10), "it@alfa.test") };

        var paused = Read(Msk(4, 24, 12), events[..2]);
        Assert.Equal(SlaState.Paused, paused.State);
        Assert.True(paused.Paused);
        Assert.Null(paused.Due);
        Assert.Equal(Duration.FromHours(2), paused.Used);

        var resumed = Read(Msk(4, 25, 10), events);
        Assert.Equal(Msk(4, 25, 16), resumed.Due);
        Assert.Equal(Msk(4, 25, 14), resumed.AtRiskAt);
        Assert.Equal([SlaEffect.Started, SlaEffect.Paused, SlaEffect.Resumed], resumed.Steps.Select(s => s.Effect));
        // The explanation counts the time where the clock ran, not from the receipt straight through.
        Assert.Equal([new WorkingPeriod(new LocalDate(2024, 4, 23), new LocalTime(10, 0), new LocalTime(12, 0)),
            new WorkingPeriod(new LocalDate(2024, 4, 25), new LocalTime(10, 0), new LocalTime(16, 0))], resumed.Consumed);
    }

    [Fact]
    public void InformationRequest_KeepsTheClockRunning_WhenConfiguredSo()
    {
        var reading = SlaClock.Read([Received(Msk(4, 23, 10)), SlaEvent.InformationRequested(Msk(4, 23, 10), "rules")],
            Rules with { InformationRequestPauses = false }, Timeline, Msk(4, 23, 11));

        Assert.Equal(Msk(4, 24, 8), reading.Due);
        Assert.Equal(SlaEffect.KeptRunning, reading.Steps[1].Effect);
    }

    [Fact]
    public void APauseAfterTheDeadline_DoesNotHideTheBreach()
    {
        var reading = Read(Msk(4, 25, 10), Received(Msk(4, 23, 10), Criticality.Critical), SlaEvent.InformationRequested(Msk(4, 23, 13), "engineer"));

        Assert.Equal(Msk(4, 23, 12), reading.Due);
        Assert.Equal(SlaState.Breached, reading.State);
    }

    [Theory]
    [InlineData(RequestType.Question, SlaState.Met)]
    [InlineData(RequestType.Incident, SlaState.OnTrack)]
    [InlineData(RequestType.ConfigChange, SlaState.OnTrack)]
    public void AKnowledgeBaseAnswer_IsTheResponse_OnlyToAQuestion(RequestType type, SlaState expected)
    {
        var reading = Read(Msk(4, 23, 10, 30), Received(Msk(4, 23, 10), Criticality.Critical, type), SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.KnowledgeBaseAnswer, "knowledge-base"));

        Assert.Equal(expected, reading.State);
        Assert.Equal(type == RequestType.Question ? SlaEffect.Answered : SlaEffect.NotCounted, reading.Steps[1].Effect);
    }

    [Fact]
    public void AKnowledgeBaseAnswer_DoesNotCount_WhenConfiguredSo()
    {
        var reading = SlaClock.Read([Received(Msk(4, 23, 10), Criticality.Low, RequestType.Question), SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.KnowledgeBaseAnswer, "knowledge-base")],
            Rules with { KnowledgeAnswerCounts = false }, Timeline, Msk(4, 23, 11));

        Assert.Null(reading.Response);
        Assert.Equal(SlaState.OnTrack, reading.State);
    }

    [Fact]
    public void AReopen_AfterTheResponse_StartsAFreshDeadlineFromTheReopen()
    {
        // A question answered from the knowledge base at once, "не помогло" on Friday 16:00: Low (24 h) from there runs
        // Friday 16:00–17:00, Saturday 27 April (a working Saturday) 07:00–17:00, Thursday 2 May, and Friday 3 May until 10:00.
        var reading = Read(Msk(4, 26, 16), Received(Msk(4, 23, 10), Criticality.Low, RequestType.Question),
            SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.KnowledgeBaseAnswer, "knowledge-base"), SlaEvent.Reopened(Msk(4, 26, 16), "it@alfa.test"));

        Assert.Equal(2, reading.Cycles.Count);
        Assert.True(reading.Cycles[0].Met);
        Assert.Equal(Msk(4, 26, 16), reading.ClockStart);
        Assert.Null(reading.Response);
        Assert.Equal(Msk(5, 3, 10), reading.Due);
        Assert.Equal(SlaState.OnTrack, reading.State);
    }

    [Fact]
    public void AReopen_BeforeAnyResponse_LeavesTheDeadlineAlone()
    {
        var reading = Read(Msk(4, 23, 12), Received(Msk(4, 23, 10)), SlaEvent.Reopened(Msk(4, 23, 11), "it@alfa.test"));

        Assert.Single(reading.Cycles);
        Assert.Equal(Msk(4, 24, 8), reading.Due);
        Assert.Equal(SlaEffect.NoChange, reading.Steps[1].Effect);
    }

    [Fact]
    public void ARefusalOverriddenToAccepted_RunsFromTheReceipt_AndTheRefusalNoLongerCounts()
    {
        var reading = Read(Msk(4, 24, 9), Received(Msk(4, 23, 10)), SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.Refusal, "rules"),
            SlaEvent.DecisionOverridden(Msk(4, 23, 15), DecisionOutcome.Accepted, "engineer"));

        Assert.Null(reading.Response);
        Assert.Equal(Msk(4, 23, 10), reading.ClockStart);
        Assert.Equal(Msk(4, 24, 8), reading.Due);
        Assert.Equal(SlaState.Breached, reading.State);
        Assert.Equal(SlaEffect.AutomaticResponsesVoided, reading.Steps[2].Effect);
    }

    [Fact]
    public void AnEngineersReply_StillCounts_AfterTheOverride()
    {
        var reading = Read(Msk(4, 24, 9), Received(Msk(4, 23, 10)), SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.Refusal, "rules"),
            SlaEvent.Responded(Msk(4, 23, 11), ResponseKind.EngineerReply, "engineer"), SlaEvent.DecisionOverridden(Msk(4, 23, 15), DecisionOutcome.Accepted, "engineer"));

        Assert.Equal(new SlaResponse(Msk(4, 23, 11), ResponseKind.EngineerReply, "engineer"), reading.Response);
        Assert.Equal(SlaState.Met, reading.State);
    }

    [Fact]
    public void NeedsInformationOverriddenToAccepted_ResumesAtTheOverride()
    {
        var reading = Read(Msk(4, 23, 11), Received(Msk(4, 23, 10)), SlaEvent.InformationRequested(Msk(4, 23, 10), "rules"),
            SlaEvent.DecisionOverridden(Msk(4, 23, 11), DecisionOutcome.Accepted, "engineer"));

        Assert.Equal(Msk(4, 24, 9), reading.Due);
        Assert.Equal(Msk(4, 23, 17), reading.AtRiskAt);
        Assert.Equal(SlaEffect.Resumed, reading.Steps[2].Effect);
    }

    [Fact]
    public void OverriddenToRefused_IsARefusalResponse_AndToNeedsInformation_APause()
    {
        var refused = Read(Msk(4, 23, 12), Received(Msk(4, 23, 10)), SlaEvent.DecisionOverridden(Msk(4, 23, 11), DecisionOutcome.Refused, "engineer"));
        Assert.Equal(new SlaResponse(Msk(4, 23, 11), ResponseKind.Refusal, "engineer"), refused.Response);
        Assert.Equal(SlaState.Met, refused.State);

        var asked = Read(Msk(4, 23, 12), Received(Msk(4, 23, 10)), SlaEvent.Responded(Msk(4, 23, 10), ResponseKind.Refusal, "rules"),
            SlaEvent.DecisionOverridden(Msk(4, 23, 11), DecisionOutcome.NeedsMoreInformation, "engineer"));
        Assert.Null(asked.Response);
        Assert.Equal(SlaState.Paused, asked.State);
        Assert.Equal(Duration.FromHours(1), asked.Used);
    }

    [Fact]
    public void ACriticalityChange_RecomputesFromTheSameStart()
    {
        // Paused from Tuesday 11:00, resumed Wednesday 10:00; Critical (2 h) from the same start: 1 h before, 1 h after.
        var reading = Read(Msk(4, 24, 10, 30), Received(Msk(4, 23, 10)), SlaEvent.InformationRequested(Msk(4, 23, 11), "rules"),
            SlaEvent.InformationReceived(Msk(4, 24, 10), "it@alfa.test"), SlaEvent.CriticalityChanged(Msk(4, 24, 10, 30), Criticality.Critical, "engineer", "магазин стоит"));

        Assert.Equal(Criticality.Critical, reading.Current!.Criticality);
        Assert.Equal(Msk(4, 24, 11), reading.Due);
        Assert.Equal(Msk(4, 24, 10, 30), reading.AtRiskAt);
        Assert.Equal(SlaState.AtRisk, reading.State);
    }

    [Fact]
    public void EventsAreReadInTheOrderTheyHappened_AndNoneBeforeTheReceipt()
    {
        // Stored out of order; the refusal stamped before the receipt (another node's clock behind) counts at the receipt.
        var reading = Read(Msk(4, 23, 12), SlaEvent.Responded(Msk(4, 23, 9, 59), ResponseKind.Refusal, "rules"), Received(Msk(4, 23, 10)));

        Assert.Equal(Msk(4, 23, 10), reading.Response!.At);
        Assert.Equal(SlaState.Met, reading.State);
    }

    [Fact]
    public void TheCachedState_IsTheClocksOwnRule()
    {
        Assert.Equal(SlaState.Paused, SlaClock.StateOf(null, null, null, Msk(4, 23, 10)));
        Assert.Equal(SlaState.Met, SlaClock.StateOf(null, null, Msk(4, 23, 10), Msk(4, 23, 10)));
        Assert.Equal(SlaState.AtRisk, SlaClock.StateOf(Msk(4, 23, 12), Msk(4, 23, 11), null, Msk(4, 23, 11)));
        Assert.Equal(SlaState.Breached, SlaClock.StateOf(Msk(4, 23, 12), Msk(4, 23, 11), Msk(4, 23, 12, 1), Msk(4, 23, 11)));
    }

    [Fact]
    public void EveryEventEffectAndResponse_HasItsWords_InRussianAndEnglish()
    {
        foreach (var effect in Enum.GetValues<SlaEffect>())
        {
            var (russian, english) = SlaTexts.Effect(effect);
            Assert.NotEqual(russian, english);
        }
        foreach (var kind in Enum.GetValues<SlaEventKind>())
        {
            foreach (var how in Enum.GetValues<ResponseKind>())
            {
                var (russian, english) = SlaTexts.Describe(new SlaStep(Msk(4, 23, 10), kind, "x", SlaEffect.NoChange, Response: kind == SlaEventKind.Responded ? how : null));
                Assert.NotEqual(russian, english);
            }
        }
        Assert.NotEqual(SlaTexts.Both("Paused").Russian, SlaTexts.Both("Paused").English);
    }

    [Fact]
    public void TheSupportsZone_WritesTimesWithTheirZoneAndOffset()
    {
        Assert.Equal("23.04.2024 10:00 (МСК, UTC+03)", Reglament.Mail.ReplyTexts.Time(Msk(4, 23, 10), Reglament.Mail.ReplyTexts.Moscow));
        Assert.Equal("23.04.2024 12:00 (Asia/Yekaterinburg, UTC+05)", Reglament.Mail.ReplyTexts.Time(Msk(4, 23, 10), DateTimeZoneProviders.Tzdb["Asia/Yekaterinburg"]));
        Assert.Equal("23.04.2024 12:30 (Asia/Kolkata, UTC+05:30)", Reglament.Mail.ReplyTexts.Time(Msk(4, 23, 10), DateTimeZoneProviders.Tzdb["Asia/Kolkata"]));

        // "Today" for a letter's date and an article's date: 23 April 18:30 in Moscow is already the 24th in Vladivostok.
        var vladivostok = new SupportTime(ResponseDeadlines.Create(new SlaOptions { TimeZone = "Asia/Vladivostok" }));
        Assert.Equal(new LocalDate(2024, 4, 24), vladivostok.Today(Msk(4, 23, 18, 30)));
        Assert.Equal(new LocalDate(2024, 4, 23), new SupportTime(ResponseDeadlines.Create(new SlaOptions())).Today(Msk(4, 23, 18, 30)));
        Assert.Equal("24.04.2024 01:30 (Asia/Vladivostok, UTC+10)", vladivostok.Show(Msk(4, 23, 18, 30)));
    }
}

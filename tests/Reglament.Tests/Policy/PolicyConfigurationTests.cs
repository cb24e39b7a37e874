using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Policy;

/// <summary>Rules and thresholds are configuration: configured entries add to the defaults, switches change behaviour.</summary>
public sealed class PolicyConfigurationTests
{
    private static async Task<TestDesk> DeskAsync(Dictionary<string, string?> settings)
    {
        var desk = await TestDesk.CreateAsync(settings: settings);
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(PolicyTable.SubscribersCsv), desk.Clock.GetCurrentInstant()));
        return desk;
    }

    private static async Task<ScreeningOutcome> ScreenAsync(TestDesk desk, string body)
    {
        await using var scope = desk.Scope();
        return await scope.ServiceProvider.GetRequiredService<RequestScreening>()
            .ScreenAsync(Requests.Email(PolicyTable.A, "Запрос", body, TestDesk.Tuesday10Msk), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ConfiguredEntries_AreAddedToTheDefaults()
    {
        await using var desk = await DeskAsync(new()
        {
            ["Policy:Rudeness:Lexicon:Obscene:0"] = "^хрен",
            ["Policy:Completeness:MinDescriptionWords"] = "3",
        });

        Assert.Equal(["R11d"], (await ScreenAsync(desk, "Логин u20001, alfa@alfa.test. С утра хреново работает сайт, ошибка 502.")).Reasons);
        Assert.Equal(["R11d"], (await ScreenAsync(desk, "Логин u20001, alfa@alfa.test. С утра пиздец, ошибка 502.")).Reasons);
    }

    [Fact]
    public async Task ClockRunsWhileAwaiting_SetsTheDeadlineAtIntake()
    {
        await using var desk = await DeskAsync(new() { ["Policy:Completeness:ClockRunsWhileAwaiting"] = "true" });
        await using var scope = desk.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<IntakePipeline>()
            .ProcessAsync(Requests.Email(PolicyTable.A, "Сайт", "Логин u20001, alfa@alfa.test. Сайт не работает.", TestDesk.Tuesday10Msk), TestContext.Current.CancellationToken);

        Assert.Equal(DecisionOutcome.NeedsMoreInformation, result.Decision);
        var ticket = await desk.WithAsync(db => db.Tickets.AsNoTracking().SingleAsync());
        Assert.Equal(TicketStatus.AwaitingSubscriber, ticket.Status);
        Assert.NotNull(ticket.ResponseDeadline);
    }

    [Fact]
    public async Task ExemptCriticalOff_AsksEvenACriticalIncidentForDetails()
    {
        await using var desk = await DeskAsync(new() { ["Policy:Completeness:ExemptCritical"] = "false" });
        var outcome = await ScreenAsync(desk, "Логин u20001, alfa@alfa.test. Критично, ничего не работает.");
        Assert.Equal("needs-info", outcome.Decision);
        Assert.Equal(Criticality.Critical, outcome.Criticality);
    }
}

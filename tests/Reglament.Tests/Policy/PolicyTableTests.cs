using Microsoft.Extensions.DependencyInjection;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Policy;

/// <summary>The table of realistic requests through identify → screen → classify → decide, nothing stored.</summary>
public sealed class PolicyTableTests : IAsyncLifetime
{
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync();
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(PolicyTable.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    [Fact]
    public void Table_HasAtLeastAHundredRequests() => Assert.True(PolicyTable.Cases.Count >= 100, $"{PolicyTable.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(PolicyTable.Cases), MemberType = typeof(PolicyTable))]
    public async Task Request_IsDecidedAsTheRegulationSays(string sender, string subject, string body, string decision, string reasons, string? type, string? criticality)
    {
        await using var scope = desk.Scope();
        var screening = scope.ServiceProvider.GetRequiredService<RequestScreening>();
        var outcome = await screening.ScreenAsync(Requests.Email(sender, subject, body, TestDesk.Tuesday10Msk), TestContext.Current.CancellationToken);

        var because = string.Join("\n", outcome.Evidence.Select(e => $"{e.Clause} {e.Rule}: {e.Finding} «{e.Fragment}»"));
        Assert.True(decision == outcome.Decision, $"decision {outcome.Decision}, expected {decision}\n{because}");
        Assert.True(reasons == string.Join(",", outcome.Reasons), $"reasons {string.Join(",", outcome.Reasons)}, expected {reasons}\n{because}");
        Assert.True(type == outcome.Type?.ToString(), $"type {outcome.Type}, expected {type}\n{because}");
        Assert.True(criticality == outcome.Criticality?.ToString(), $"criticality {outcome.Criticality}, expected {criticality}\n{because}");
    }
}

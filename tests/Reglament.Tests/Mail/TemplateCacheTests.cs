using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Mail;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Mail;

/// <summary>The edited templates are held in memory: the node that saves sees the edit at once, another node sharing
/// the database within <see cref="MailOptions.TemplateRefresh"/>, and a fresh copy costs no database read.</summary>
public sealed class TemplateCacheTests : IAsyncLifetime
{
    private TestDesk desk = null!;

    public async ValueTask InitializeAsync() => desk = await TestDesk.CreateAsync();

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<string> SubjectAsync(TemplateCache cache)
    {
        await using var scope = desk.Scope();
        var set = await cache.GetAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), Token);
        return set.Text(TemplateKinds.Refusal, ReplyTexts.Russian).Subject;
    }

    [Fact]
    public async Task SavingNode_SeesTheEditAtOnce_OtherNode_AfterTheRefreshInterval()
    {
        var thisNode = desk.Services.GetRequiredService<TemplateCache>();
        var otherNode = new TemplateCache(desk.Clock, desk.Services.GetRequiredService<IOptions<MailOptions>>());
        var original = await SubjectAsync(otherNode);
        Assert.Equal(original, await SubjectAsync(thisNode));

        await using (var scope = desk.Scope())
        {
            var problems = await scope.ServiceProvider.GetRequiredService<ReplyTemplates>().SaveAsync(TemplateKinds.Refusal,
                [(ReplyTexts.Russian, "Отказ: {subject}", "Заявка {ticket}: {clauses}")], "staff:supervisor", Token);
            Assert.Empty(problems);
        }

        Assert.Equal("Отказ: {subject}", await SubjectAsync(thisNode));
        desk.Clock.Advance(Duration.FromSeconds(29));
        Assert.Equal(original, await SubjectAsync(otherNode));
        desk.Clock.Advance(Duration.FromSeconds(2));
        Assert.Equal("Отказ: {subject}", await SubjectAsync(otherNode));
    }

    [Fact]
    public async Task FreshCopy_IsServedWithoutTheDatabase()
    {
        var cache = new TemplateCache(desk.Clock, desk.Services.GetRequiredService<IOptions<MailOptions>>());
        await SubjectAsync(cache);
        await using var scope = desk.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        await db.DisposeAsync();
        // A disposed context throws on any query: the second read must not make one.
        var set = await cache.GetAsync(db, Token);
        Assert.NotNull(set.Text(TemplateKinds.Acknowledgement, ReplyTexts.English).Subject);
        desk.Clock.Advance(Duration.FromMinutes(1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cache.GetAsync(db, Token));
    }
}

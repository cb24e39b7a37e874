using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Intake;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Data;

/// <summary>Data/LargeColumns on SQLite, where a value is written into a placeholder of the announced length.</summary>
public sealed class LargeColumnsTests : IAsyncLifetime
{
    private TestDesk desk = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        desk = await TestDesk.CreateAsync(Engine.Sqlite, null);
        await desk.WithAsync(db => SubscriberCsv.ImportAsync(db, new StringReader(Requests.SubscribersCsv), desk.Clock.GetCurrentInstant()));
    }

    public async ValueTask DisposeAsync() => await desk.DisposeAsync();

    [Fact]
    public async Task ContentShorterThanItsLength_FailsTheIntake_NothingStoredWithZerosAtItsEnd()
    {
        var shortContent = AttachmentContent.Decoded(() => new MemoryStream(new byte[100_000]), length: 100_010);
        var request = Requests.Email("it@romashka.test", "Сайт не работает", Requests.CompleteIncident, TestDesk.Tuesday10Msk, "short@romashka.test") with
        {
            Attachments = [new InboundAttachment("dump.bin", "application/octet-stream", shortContent)],
        };

        await using (var scope = desk.Scope())
            await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IntakePipeline>().ProcessAsync(request, Token));

        Assert.Equal((0, 0), await desk.WithAsync(async db => (await db.Tickets.CountAsync(Token), await db.Blobs.CountAsync(Token))));
    }
}

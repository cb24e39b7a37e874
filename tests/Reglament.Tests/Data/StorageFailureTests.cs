using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Data;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Data;

public sealed class StorageFailureTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddReglament(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new FakeClock(TestDesk.Tuesday10Msk))
            .BuildServiceProvider();

    [Fact]
    public async Task UnwritableDataDirectory_IsAClearStorageError()
    {
        var file = Path.GetTempFileName();
        try
        {
            await using var services = Services(new() { ["Storage:DataDirectory"] = Path.Combine(file, "data") });
            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Storage.PrepareAsync(services, TestContext.Current.CancellationToken));
            Assert.Contains("cannot be written", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PostgresDown_IsAClearStorageError_WithoutThePassword()
    {
        await using var services = Services(new() { ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Database=d;Timeout=2" });
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Storage.PrepareAsync(services, TestContext.Current.CancellationToken));
        Assert.Contains("PostgreSQL 127.0.0.1:1/d", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Reglament.Data;

namespace Reglament.Tests.Infrastructure;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>A desk with its own empty database (a SQLite file in a temp dir, or a new PostgreSQL database)
/// and a fake clock: the real services, nothing mocked.</summary>
public sealed class TestDesk : IAsyncDisposable
{
    /// <summary>Tuesday 2024-04-23 10:00 Moscow: inside working hours.</summary>
    public static readonly Instant Tuesday10Msk = Instant.FromUtc(2024, 4, 23, 7, 0);

    private readonly string? directory;

    private TestDesk(ServiceProvider services, FakeClock clock, string? directory, IConfiguration configuration)
    {
        Services = services;
        Clock = clock;
        this.directory = directory;
        Configuration = configuration;
    }

    public ServiceProvider Services { get; }

    public FakeClock Clock { get; }

    public IConfiguration Configuration { get; }

    /// <summary>Another node of this PostgreSQL desk: its own services and clock over the same database.</summary>
    public Task<TestDesk> SecondNodeAsync(Dictionary<string, string?>? settings = null) =>
        CreateAsync(Engine.Postgres, null, new Dictionary<string, string?>(settings ?? []) { ["ConnectionStrings:Postgres"] = Configuration.GetConnectionString("Postgres") });

    public static async Task<TestDesk> CreateAsync(Engine engine = Engine.Sqlite, PostgresServer? postgres = null, Dictionary<string, string?>? settings = null)
    {
        var overrides = new Dictionary<string, string?>(settings ?? []);
        // Test mail carries no Authentication-Results: the sender check is off unless the test configures it.
        if (!overrides.Keys.Any(k => k.StartsWith("Policy:Authentication:", StringComparison.Ordinal)))
            overrides["Policy:Authentication:Disabled"] = "true";
        string? directory = null;
        if (engine == Engine.Postgres)
        {
            // A given database is a second node of another desk; otherwise the desk gets a new one.
            if (!overrides.ContainsKey("ConnectionStrings:Postgres"))
                overrides["ConnectionStrings:Postgres"] = (postgres ?? throw new ArgumentNullException(nameof(postgres))).NewDatabase();
        }
        else
        {
            directory = Directory.CreateTempSubdirectory("reglament-test-").FullName;
            overrides["Storage:DataDirectory"] = directory;
            TrainedModels.CopyInto(directory);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(overrides).Build();
        var clock = new FakeClock(Tuesday10Msk);
        var services = new ServiceCollection().AddLogging().AddReglament(configuration, clock).BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await ReglamentServices.PrepareAsync(services);
        return new TestDesk(services, clock, directory, configuration);
    }

    /// <summary>A fresh scope, as one request or one command would have.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithAsync<T>(Func<ReglamentDb, Task<T>> action)
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (directory is not null)
        {
            TrainedModels.KeepFrom(directory);
            Directory.Delete(directory, recursive: true);
        }
    }
}

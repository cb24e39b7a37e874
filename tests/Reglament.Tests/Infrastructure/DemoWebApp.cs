using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using NodaTime;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Demo;

namespace Reglament.Tests.Infrastructure;

/// <summary>The real web application on a test server, with its own SQLite directory and the demo data and staff
/// that <c>serve --demo</c> seeds; removed with its data when disposed.</summary>
public sealed class DemoWebApp : IAsyncDisposable
{
    private readonly string directory;

    private DemoWebApp(WebApplication app, string directory)
    {
        App = app;
        this.directory = directory;
    }

    public WebApplication App { get; }

    /// <summary>Starts the demo desk at <paramref name="now"/>; <paramref name="configure"/> changes its services after the
    /// application's own (e.g. a stand-in intake stage).</summary>
    public static async Task<DemoWebApp> StartAsync(Instant now, Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("reglament-web-").FullName;
        TrainedModels.CopyInto(directory);
        var app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>(settings ?? []) { ["Storage:DataDirectory"] = directory },
            new FakeClock(now), b =>
            {
                b.WebHost.UseTestServer();
                configure?.Invoke(b);
            });
        var token = TestContext.Current.CancellationToken;
        await ReglamentServices.PrepareAsync(app.Services, token);
        await DemoSeeder.SeedAsync(app.Services, token);
        await ServeCommand.SeedDemoStaffAsync(app.Services, token);
        await app.StartAsync(token);
        return new DemoWebApp(app, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TrainedModels.KeepFrom(directory);
        Directory.Delete(directory, recursive: true);
    }
}

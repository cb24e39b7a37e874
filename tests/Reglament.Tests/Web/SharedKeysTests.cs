using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Data;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>Two nodes of one desk behind a load balancer: what one node protected (the antiforgery token of a form,
/// the sign-in cookie) the other accepts, because the Data Protection key ring is in the shared database.</summary>
public sealed class SharedKeysTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(Engine.Postgres)]
    [InlineData(Engine.Sqlite)]
    public async Task FormFromOneNode_PostedToAnother_SignsIn_AndTheCookieOpensTheQueueOnTheFirst(Engine engine)
    {
        var directory = Directory.CreateTempSubdirectory("reglament-keys-").FullName;
        var settings = engine == Engine.Postgres
            ? new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = postgres.NewDatabase() }
            : new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory };
        WebApplication? first = null, second = null;
        try
        {
            first = await StartNodeAsync(settings);
            second = await StartNodeAsync(settings);
            var cookies = new CookieContainer();
            using var toFirst = new StaffBrowser(first, cookies);
            using var toSecond = new StaffBrowser(second, cookies);

            // The sign-in form (and its antiforgery cookie) comes from the first node, the POST goes to the second.
            var form = await toFirst.GetStringAsync("/account/signin");
            var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var signIn = await toSecond.PostAsync("/account/signin", new Dictionary<string, string>
            {
                ["Login"] = "engineer", ["Password"] = "demo-engineer", ["__RequestVerificationToken"] = token,
            });
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.DoesNotContain("/account/signin", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

            // The cookie the second node issued opens the queue on the first.
            Assert.Contains("RG-000001", await toFirst.GetStringAsync("/"), StringComparison.Ordinal);

            // One key ring, in the database: the nodes did not each make their own.
            await using var scope = first.Services.CreateAsyncScope();
            var keys = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().DataProtectionKeys.CountAsync(TestContext.Current.CancellationToken);
            Assert.Equal(1, keys);
            // Installed in different directories, two nodes still use one discriminator (the default is the content root).
            Assert.Equal("Reglament", second.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        }
        finally
        {
            if (second is not null)
                await second.DisposeAsync();
            if (first is not null)
                await first.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task NodesStartingTogetherOnAnEmptyDatabase_MakeOneKey()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = postgres.NewDatabase() };
        var nodes = new List<WebApplication>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var node = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>(settings), new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
                nodes.Add(node);
            }
            await ReglamentServices.PrepareAsync(nodes[0].Services, TestContext.Current.CancellationToken);
            // What serve does at start, on four nodes at once.
            using var start = new Barrier(nodes.Count);
            await Task.WhenAll(nodes.Select(n => Task.Run(async () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                await Reglament.Web.SharedKeyRing.EnsureKeyAsync(n.Services, TestContext.Current.CancellationToken);
            }, TestContext.Current.CancellationToken)));

            await using var scope = nodes[0].Services.CreateAsyncScope();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<ReglamentDb>().DataProtectionKeys.CountAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartNodeAsync(Dictionary<string, string?> settings)
    {
        var app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>(settings), new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        try
        {
            var token = TestContext.Current.CancellationToken;
            await ReglamentServices.PrepareAsync(app.Services, token);
            await Reglament.Demo.DemoSeeder.SeedAsync(app.Services, token);
            await ServeCommand.SeedDemoStaffAsync(app.Services, token);
            await app.StartAsync(token);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

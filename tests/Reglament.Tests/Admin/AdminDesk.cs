using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reglament.Data;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Admin;

/// <summary>The demo desk on a test server for the administration tests, with the API key the demo prints.</summary>
public sealed class AdminDesk : IAsyncDisposable
{
    public const string ApiKey = "demo-key";

    private AdminDesk(DemoWebApp web) => Web = web;

    public DemoWebApp Web { get; }

    public static async Task<AdminDesk> StartAsync(Instant? now = null) =>
        new(await DemoWebApp.StartAsync(now ?? TestDesk.Tuesday10Msk, new() { ["Api:Keys:0"] = ApiKey, ["Knowledge:AutoAnswer"] = "false" }));

    public async Task<StaffBrowser> SignInAsync(string login)
    {
        var browser = new StaffBrowser(Web.App);
        await browser.SignInAsync(login, "demo-" + login);
        return browser;
    }

    public async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = Web.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    public Task<Subscriber> SubscriberAsync(string login) =>
        WithDbAsync(db => db.Subscribers.AsNoTracking().Include(s => s.Contacts).SingleAsync(s => s.Login == login, TestContext.Current.CancellationToken));

    /// <summary>Files a request through <c>POST /api/requests</c> as an integration would.</summary>
    public async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> FileAsync(string sender, string subject, string body)
    {
        using var client = Web.App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var response = await client.PostAsJsonAsync("/api/requests", new { sender, subject, body }, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken));
    }

    public ValueTask DisposeAsync() => Web.DisposeAsync();
}

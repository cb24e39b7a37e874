using System.Net;
using Microsoft.EntityFrameworkCore;
using Reglament.Subscribers;

namespace Reglament.Tests.Admin;

/// <summary>Administration is for supervisors and administrators: an engineer is refused every page and every form,
/// and a supervisor still does not see the staff accounts.</summary>
public sealed class AdministrationAccessTests : IAsyncLifetime
{
    private AdminDesk desk = null!;
    private long ivanov;
    private long contact;
    private long quarantined;

    public async ValueTask InitializeAsync()
    {
        desk = await AdminDesk.StartAsync();
        var subscriber = await desk.SubscriberAsync("u10002");
        (ivanov, contact) = (subscriber.Id, subscriber.Contacts[0].Id);
        var (status, body) = await desk.FileAsync("stranger@example.com", "Не работает VPS", "ID клиента 104524. VPS не отвечает с утра, ошибка 504.");
        Assert.Equal((HttpStatusCode)422, status);
        quarantined = body.GetProperty("quarantineId").GetInt64();
    }

    public ValueTask DisposeAsync() => desk.DisposeAsync();

    private string Url(string template) => template.Replace("{s}", ivanov.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{q}", quarantined.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [Theory]
    [InlineData("/admin/subscribers")]
    [InlineData("/admin/subscribers?q=ivanov")]
    [InlineData("/admin/subscribers/{s}")]
    [InlineData("/admin/subscribers/new")]
    [InlineData("/admin/subscribers/import")]
    [InlineData("/admin/calendar")]
    [InlineData("/admin/calendar?year=2026")]
    [InlineData("/admin/quarantine")]
    [InlineData("/admin/quarantine/{q}")]
    [InlineData("/admin/quarantine/{q}?handler=Raw")]
    public async Task Engineer_IsRefusedEveryPage(string url)
    {
        using var engineer = await desk.SignInAsync("engineer");
        var response = await engineer.GetAsync(Url(url));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.GetAsync(response.Headers.Location.PathAndQuery)).StatusCode);

        using var supervisor = await desk.SignInAsync("supervisor");
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync(Url(url))).StatusCode);
    }

    [Theory]
    [InlineData("/admin/subscribers/{s}?handler=Status")]
    [InlineData("/admin/subscribers/{s}?handler=Details")]
    [InlineData("/admin/subscribers/{s}?handler=AddContact")]
    [InlineData("/admin/subscribers/{s}?handler=RemoveContact")]
    [InlineData("/admin/subscribers/new")]
    [InlineData("/admin/subscribers/import")]
    [InlineData("/admin/quarantine/{q}?handler=Release")]
    public async Task Engineer_IsRefusedEveryForm_AndNothingChanges(string action)
    {
        using var engineer = await desk.SignInAsync("engineer");
        // A valid antiforgery token (from the queue, which an engineer may see): only the role stands in the way.
        var response = await engineer.SubmitAsync("/", Url(action), new Dictionary<string, string>
        {
            ["newStatus"] = "Suspended", ["reason"] = "долг", ["name"] = "Взлом", ["kind"] = "Person", ["registrationEmail"] = "x@example.org",
            ["contactEmail"] = "stranger@example.com", ["contactId"] = contact.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Login"] = "u99999", ["ClientId"] = "999999", ["Name"] = "Взлом", ["RegistrationEmail"] = "x@example.org",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var after = await desk.SubscriberAsync("u10002");
        Assert.Equal(SubscriberStatus.Active, after.Status);
        Assert.Equal("Иванов Иван Иванович", after.Name);
        Assert.Equal(["ivanov@example.org"], after.Contacts.Select(c => c.Email));
        Assert.False(await desk.WithDbAsync(db => db.Subscribers.AnyAsync(s => s.Login == "u99999", TestContext.Current.CancellationToken)));
        Assert.Null((await desk.WithDbAsync(db => db.Quarantine.SingleAsync(q => q.Id == quarantined, TestContext.Current.CancellationToken))).ReleasedAt);
        Assert.Equal(0, await desk.WithDbAsync(db => db.SubscriberEvents.CountAsync(e => e.Actor == "engineer", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Supervisor_DoesNotSeeStaffAccounts_ButSeesTheAdministrationLinks()
    {
        using var supervisor = await desk.SignInAsync("supervisor");
        var response = await supervisor.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var queue = await supervisor.GetStringAsync("/");
        Assert.Contains("href=\"/admin/subscribers\"", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/quarantine\"", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/calendar\"", queue, StringComparison.Ordinal);

        using var engineer = await desk.SignInAsync("engineer");
        Assert.DoesNotContain("href=\"/admin/subscribers\"", await engineer.GetStringAsync("/"), StringComparison.Ordinal);
    }
}

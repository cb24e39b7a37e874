using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reglament.Subscribers;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Admin;

/// <summary>A supervisor administers subscribers through the real forms; intake sees every change on the next request.</summary>
public sealed class SubscriberAdministrationTests : IAsyncLifetime
{
    private const string VpsDown = "ID клиента 104524. С утра VPS не отвечает: сайт выдаёт ошибку 504 Gateway Timeout, по SSH не подключиться.";

    private AdminDesk desk = null!;
    private StaffBrowser supervisor = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await AdminDesk.StartAsync();
        supervisor = await desk.SignInAsync("supervisor");
    }

    public async ValueTask DisposeAsync()
    {
        supervisor.Dispose();
        await desk.DisposeAsync();
    }

    private static string Page(long id) => $"/admin/subscribers/{id}";

    private Task<HttpResponseMessage> ActAsync(long id, string handler, Dictionary<string, string> fields) =>
        supervisor.SubmitAsync(Page(id), $"{Page(id)}?handler={handler}", fields);

    [Fact]
    public async Task List_SearchesByContactAndClientId_AndFiltersByStatus()
    {
        var byContact = await supervisor.GetStringAsync("/admin/subscribers?q=IVANOV@example.org");
        Assert.Contains("u10002", byContact, StringComparison.Ordinal);
        Assert.DoesNotContain("u10001", byContact, StringComparison.Ordinal);
        var byClientId = await supervisor.GetStringAsync("/admin/subscribers?q=104526");
        Assert.Contains("u10004", byClientId, StringComparison.Ordinal);
        Assert.DoesNotContain("u10002", byClientId, StringComparison.Ordinal);
        var byName = await supervisor.GetStringAsync("/admin/subscribers?q=" + Uri.EscapeDataString("Вектор"));
        Assert.Contains("u10003", byName, StringComparison.Ordinal);

        var suspended = await supervisor.GetStringAsync("/admin/subscribers?status=Suspended");
        Assert.Contains("u10003", suspended, StringComparison.Ordinal);
        Assert.DoesNotContain("u10002", suspended, StringComparison.Ordinal);
        Assert.Contains("class=\"status-Suspended\">услуги приостановлены<", suspended, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_SuspendsWithAReason_AndTheNextRequestIsRefusedR11c()
    {
        var before = await desk.FileAsync("ivanov@example.org", "Не работает VPS", VpsDown);
        Assert.Equal(HttpStatusCode.Created, before.Status);
        Assert.DoesNotContain("R11c", before.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        var ivanov = await desk.SubscriberAsync("u10002");
        var response = await ActAsync(ivanov.Id, "Status", new() { ["newStatus"] = "Suspended", ["reason"] = "задолженность по счёту 4711" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var after = await desk.FileAsync("ivanov@example.org", "Не работает VPS", VpsDown);
        Assert.Equal(HttpStatusCode.Created, after.Status);
        Assert.Equal("Refused", after.Body.GetProperty("decision").GetString());
        Assert.Contains("R11c", after.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        var change = await desk.WithDbAsync(db => db.SubscriberEvents.SingleAsync(e => e.SubscriberId == ivanov.Id && e.Action == "status.changed", TestContext.Current.CancellationToken));
        Assert.Equal(("supervisor", "Active → Suspended", "задолженность по счёту 4711", TestDesk.Tuesday10Msk), (change.Actor, change.Details, change.Reason, change.At));
        var page = await supervisor.GetStringAsync(Page(ivanov.Id));
        Assert.Contains("задолженность по счёту 4711", page, StringComparison.Ordinal);
        Assert.Contains("status-badge status-Suspended", page, StringComparison.Ordinal);
        Assert.Contains($"/desk/ticket/{after.Body.GetProperty("ticket").GetString()}", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task StatusChange_WithoutAReason_IsRefused_AndNothingChanges(string reason)
    {
        var ivanov = await desk.SubscriberAsync("u10002");
        var response = await ActAsync(ivanov.Id, "Status", new() { ["newStatus"] = "Terminated", ["reason"] = reason });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Укажите причину", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await desk.SubscriberAsync("u10002")).Status);
        Assert.False(await desk.WithDbAsync(db => db.SubscriberEvents.AnyAsync(e => e.SubscriberId == ivanov.Id && e.Action == "status.changed", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Contacts_AreAddedNormalized_OncePerSubscriber_Validated_AndRemoved()
    {
        var ivanov = await desk.SubscriberAsync("u10002");
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ivanov.Id, "AddContact", new() { ["contactEmail"] = "  Buh@Example.ORG ", ["contactName"] = "Бухгалтерия" })).StatusCode);
        var added = Assert.Single((await desk.SubscriberAsync("u10002")).Contacts, c => c.Email == "buh@example.org");
        Assert.Equal("Бухгалтерия", added.Name);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActAsync(ivanov.Id, "AddContact", new() { ["contactEmail"] = "BUH@example.org" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActAsync(ivanov.Id, "AddContact", new() { ["contactEmail"] = "Бухгалтерия <buh2@example.org>" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActAsync(ivanov.Id, "AddContact", new() { ["contactEmail"] = "not an address" })).StatusCode);
        Assert.Equal(2, (await desk.SubscriberAsync("u10002")).Contacts.Count);

        // The new contact may file requests at once.
        var filed = await desk.FileAsync("buh@example.org", "Не работает VPS", VpsDown);
        Assert.Equal(HttpStatusCode.Created, filed.Status);

        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ivanov.Id, "RemoveContact", new() { ["contactId"] = added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode);
        Assert.Equal(["ivanov@example.org"], (await desk.SubscriberAsync("u10002")).Contacts.Select(c => c.Email));
        Assert.Equal((HttpStatusCode)422, (await desk.FileAsync("buh@example.org", "Не работает VPS", VpsDown)).Status);

        var history = await desk.WithDbAsync(db => db.SubscriberEvents.Where(e => e.SubscriberId == ivanov.Id && e.Actor == "supervisor").OrderBy(e => e.Id).Select(e => e.Action + " " + e.Details).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["contact.added buh@example.org", "contact.removed buh@example.org"], history);
    }

    [Fact]
    public async Task Details_ServicesAndName_AreSavedAndAudited()
    {
        var ivanov = await desk.SubscriberAsync("u10002");
        var response = await supervisor.SubmitAsync(Page(ivanov.Id), $"{Page(ivanov.Id)}?handler=Details", new Dictionary<string, string>
        {
            ["name"] = "Иванов И. И.", ["kind"] = "Person", ["registrationEmail"] = "ivanov@example.org", ["services"] = "Mail",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await desk.SubscriberAsync("u10002");
        Assert.Equal(("Иванов И. И.", ContractedServices.Mail), (after.Name, after.Services));
        var change = await desk.WithDbAsync(db => db.SubscriberEvents.SingleAsync(e => e.SubscriberId == ivanov.Id && e.Action == "details.changed", TestContext.Current.CancellationToken));
        Assert.Contains("services Vps, Backup → Mail", change.Details, StringComparison.Ordinal);

        var bad = await supervisor.SubmitAsync(Page(ivanov.Id), $"{Page(ivanov.Id)}?handler=Details", new Dictionary<string, string> { ["name"] = "X", ["kind"] = "Person", ["registrationEmail"] = "nope" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("Иванов И. И.", (await desk.SubscriberAsync("u10002")).Name);
    }

    [Fact]
    public async Task NewSubscriber_IsCreatedWithItsRegistrationEmailAsContact_AndDuplicatesAreRefused()
    {
        var form = new Dictionary<string, string> { ["Login"] = "u20001", ["ClientId"] = "200001", ["Name"] = "ООО «Луч»", ["Kind"] = "LegalEntity", ["RegistrationEmail"] = "Admin@Luch.example.ru", ["Services"] = "Vps" };
        var response = await supervisor.SubmitAsync("/admin/subscribers/new", "/admin/subscribers/new", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var created = await desk.SubscriberAsync("u20001");
        Assert.Equal((SubscriberKind.LegalEntity, ContractedServices.Vps, SubscriberStatus.Active), (created.Kind, created.Services, created.Status));
        Assert.Equal(["admin@luch.example.ru"], created.Contacts.Select(c => c.Email));
        Assert.Equal($"/admin/subscribers/{created.Id}", response.Headers.Location!.OriginalString);
        Assert.True(await desk.WithDbAsync(db => db.SubscriberEvents.AnyAsync(e => e.SubscriberId == created.Id && e.Action == "created" && e.Actor == "supervisor", TestContext.Current.CancellationToken)));

        var again = await supervisor.SubmitAsync("/admin/subscribers/new", "/admin/subscribers/new", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("Логин u20001 уже занят", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvImport_IsAllOrNone_WithEveryBadLineNamed()
    {
        const string Header = "login,client_id,name,kind,status,services,registration_email,contacts\n";
        var bad = Header
            + "u30001,300001,Новый абонент,Person,Active,Vps,new@example.org,new@example.org\n"
            + "u10002,104524,Иванов Иван Иванович,Person,Suspended,Vps;Backup,ivanov@example.org,ivanov@example.org\n"
            + "u30002,300002,Кто-то,Robot,Active,Vps,x@example.org,x@example.org\n"
            + "u30003,300003,Кто-то ещё,Person,Active,Teleport,y@example.org,not-an-address\n";
        var response = await supervisor.UploadAsync("/admin/subscribers/import", "/admin/subscribers/import", "file", "list.csv", Encoding.UTF8.GetBytes(bad));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("list.csv: line 4: kind 'Robot' is not Person or LegalEntity", page, StringComparison.Ordinal);
        Assert.Contains("list.csv: line 5: service 'Teleport' is unknown", page, StringComparison.Ordinal);
        Assert.Contains("contact 'not-an-address' is not an e-mail address", page, StringComparison.Ordinal);
        Assert.Contains("Ничего не импортировано", page, StringComparison.Ordinal);
        Assert.False(await desk.WithDbAsync(db => db.Subscribers.AnyAsync(s => s.Login == "u30001", TestContext.Current.CancellationToken)));
        Assert.Equal(SubscriberStatus.Active, (await desk.SubscriberAsync("u10002")).Status);

        var good = string.Join("\n", bad.Split('\n').Take(3)) + "\n";
        var imported = await supervisor.UploadAsync("/admin/subscribers/import", "/admin/subscribers/import", "file", "list.csv", Encoding.UTF8.GetBytes(good));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Contains("создано 1, обновлено 1", await imported.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Suspended, (await desk.SubscriberAsync("u10002")).Status);
        Assert.Equal(["new@example.org"], (await desk.SubscriberAsync("u30001")).Contacts.Select(c => c.Email));
        var ivanov = await desk.SubscriberAsync("u10002");
        var history = await desk.WithDbAsync(db => db.SubscriberEvents.SingleAsync(e => e.SubscriberId == ivanov.Id && e.Actor == "supervisor", TestContext.Current.CancellationToken));
        Assert.Equal(("imported", "updated: status Active → Suspended"), (history.Action, history.Details));
    }
}

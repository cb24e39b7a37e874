using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Cli;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Knowledge;
using Reglament.Tests.Infrastructure;
using Reglament.Tickets;

namespace Reglament.Tests.Web;

/// <summary>The desk learns from its engineers, through the real pages: a reply with an inserted article link keeps the
/// request as a phrasing of that article, which a supervisor sees and removes on the article's page.</summary>
public sealed class LearnedPhrasingsTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("reglament-phrasings-").FullName;
    private WebApplication app = null!;
    private StaffBrowser engineer = null!;
    private StaffBrowser supervisor = null!;

    public async ValueTask InitializeAsync()
    {
        app = Reglament.Web.WebApp.Build([], new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Knowledge:AutoAnswer"] = "false",
        }, new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
        await DemoSeeder.SeedAsync(app.Services, TestContext.Current.CancellationToken);
        await ServeCommand.SeedDemoStaffAsync(app.Services, TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        engineer = new StaffBrowser(app);
        await engineer.SignInAsync("engineer", "demo-engineer");
        supervisor = new StaffBrowser(app);
        await supervisor.SignInAsync("supervisor", "demo-supervisor");
    }

    public async ValueTask DisposeAsync()
    {
        engineer.Dispose();
        supervisor.Dispose();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<T> WithDbAsync<T>(Func<ReglamentDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReglamentDb>());
    }

    [Fact]
    public async Task AReplyWithAnInsertedLink_KeepsTheRequestAsAPhrasing_ASupervisorSeesAndRemovesIt()
    {
        var ticket = await WithDbAsync(db => db.Tickets.AsNoTracking().Where(t => t.FirstRespondedAt == null && t.ResponseDeadline != null)
            .OrderBy(t => t.Id).FirstAsync(TestContext.Current.CancellationToken));
        var page = await engineer.GetStringAsync($"/desk/ticket/{ticket.Number}?insert=000032");
        Assert.Contains("/kb/article/000032</textarea>", page, StringComparison.Ordinal);

        var response = await engineer.SubmitAsync($"/desk/ticket/{ticket.Number}", $"/desk/ticket/{ticket.Number}?handler=Reply",
            new Dictionary<string, string> { ["ReplyText"] = "Здравствуйте! Смотрите http://127.0.0.1:5080/kb/article/000032" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var phrasing = await WithDbAsync(db => db.ArticlePhrasings.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken));
        var request = await WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.Id).FirstAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("000032", PhrasingKind.Learned, ticket.Id, "engineer"), (phrasing.ArticleId, phrasing.Kind, phrasing.TicketId!.Value, phrasing.By));
        Assert.Equal(PhrasingLearning.Phrasing(request.Subject, request.Body), phrasing.Text);
        Assert.Contains(await WithDbAsync(db => db.AuditEvents.Where(a => a.TicketId == ticket.Id).Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken)),
            a => a == "knowledge.learned");

        // Engineers do not edit articles; supervisors see what the desk learned on the article's page, and remove it.
        Assert.NotEqual(HttpStatusCode.OK, (await engineer.GetAsync("/desk/kb/000032/edit")).StatusCode);
        var edit = await supervisor.GetStringAsync("/desk/kb/000032/edit");
        Assert.Contains($"name=\"phrasing\" value=\"{phrasing.Id}\"", edit, StringComparison.Ordinal);
        Assert.Contains($"/desk/ticket/{ticket.Number}", edit, StringComparison.Ordinal);
        var removed = await supervisor.SubmitAsync("/desk/kb/000032/edit", "/desk/kb/000032/edit?handler=RemovePhrasing",
            new Dictionary<string, string> { ["phrasing"] = phrasing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.ArticlePhrasings.CountAsync(TestContext.Current.CancellationToken)));
    }
}

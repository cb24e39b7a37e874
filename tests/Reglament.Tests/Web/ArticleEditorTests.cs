using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reglament.Data;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>Supervisors keep the knowledge base: edit with a preview, every save a revision; engineers may not.</summary>
public sealed class ArticleEditorTests : IAsyncLifetime
{
    private DemoWebApp web = null!;

    public async ValueTask InitializeAsync()
    {
        web = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk);
    }

    private WebApplication app => web.App;

    public async ValueTask DisposeAsync()
    {
        await web.DisposeAsync();
    }

    private static Dictionary<string, string> Form(string markdown) => new()
    {
        ["Title"] = "Как правильно составить обращение в службу поддержки?",
        ["Category"] = "Служба поддержки",
        ["Tags"] = "обращение, заявка",
        ["Markdown"] = markdown,
    };

    [Fact]
    public async Task Supervisor_PreviewsThenSaves_AndTheArticleKeepsItsHistory()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("supervisor", "demo-supervisor");
        const string page = "/desk/kb/000032/edit";

        Assert.Contains("/desk/kb/000032/edit", await browser.GetStringAsync("/kb/article/000032"), StringComparison.Ordinal);
        var preview = await browser.SubmitAsync(page, page + "?handler=Preview", Form("# Новый текст\n\nПишите **с авторизованного адреса**."));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("<strong>с авторизованного адреса</strong>", await preview.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain("Новый текст", await browser.GetStringAsync("/kb/article/000032"), StringComparison.Ordinal);

        var saved = await browser.SubmitAsync(page, page + "?handler=Save", Form("# Новый текст\n\nПишите **с авторизованного адреса**."));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Новый текст", await browser.GetStringAsync("/kb/article/000032"), StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var revisions = await scope.ServiceProvider.GetRequiredService<ReglamentDb>().ArticleRevisions
            .Where(r => r.ArticleId == "000032").OrderBy(r => r.Number).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([1, 2], revisions.Select(r => r.Number));
        Assert.Equal("staff:supervisor", revisions[1].By);
        Assert.DoesNotContain("Новый текст", revisions[0].Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engineer_CannotEditArticles()
    {
        using var browser = new StaffBrowser(app);
        await browser.SignInAsync("engineer", "demo-engineer");
        var response = await browser.GetAsync("/desk/kb/000032/edit");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("/desk/kb/000032/edit", await browser.GetStringAsync("/kb/article/000032"), StringComparison.Ordinal);
    }
}

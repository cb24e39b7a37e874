using System.Net;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>The header's language switch: Russian by default, English when chosen — remembered in a cookie, back to
/// the same page, never to another site.</summary>
public sealed class LanguageSwitchTests : IAsyncLifetime
{
    private DemoWebApp desk = null!;
    private StaffBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        desk = await DemoWebApp.StartAsync(TestDesk.Tuesday10Msk);
        browser = new StaffBrowser(desk.App);
        await browser.SignInAsync("engineer", "demo-engineer");
    }

    public async ValueTask DisposeAsync()
    {
        browser.Dispose();
        await desk.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SwitchAsync(string lang, string returnUrl) =>
        await browser.SubmitAsync("/", "/language", new Dictionary<string, string> { ["lang"] = lang, ["returnUrl"] = returnUrl });

    [Fact]
    public async Task ByDefault_Russian_AndNoEnglishBesideIt()
    {
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("<h1>Очередь заявок</h1>", queue, StringComparison.Ordinal);
        Assert.Contains("<label>Критичность", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("/ Criticality", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("/ Queue", queue, StringComparison.Ordinal);
        Assert.Contains(">в срок</td>", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_ShowsTheLabelsInEnglishOnly_AndGoesBackToThePage()
    {
        var response = await SwitchAsync("en", "/?status=all");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?status=all", response.Headers.Location?.OriginalString);

        var queue = await browser.GetStringAsync("/?status=all");
        Assert.Contains("<h1>Queue</h1>", queue, StringComparison.Ordinal);
        Assert.Contains("<label>Criticality", queue, StringComparison.Ordinal);
        Assert.Contains("<th>Criticality</th>", queue, StringComparison.Ordinal);
        // The labels are gone; what subscribers wrote (a subject may say «Критичность») stays as written.
        Assert.DoesNotContain("<label>Критичность", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("<th>Критичность</th>", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("Очередь заявок", queue, StringComparison.Ordinal);
        Assert.Contains("of working time left</span>", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("рабочего времени</span>", queue, StringComparison.Ordinal);
        Assert.Contains(">on track</td>", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Russian_ComesBack_AndTheRetiredBothChoiceIsRussian()
    {
        await SwitchAsync("en", "/");
        await SwitchAsync("ru", "/");
        var queue = await browser.GetStringAsync("/");
        Assert.Contains("<h1>Очередь заявок</h1>", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("Queue", queue, StringComparison.Ordinal);

        await SwitchAsync("both", "/");
        Assert.Contains("<h1>Очередь заявок</h1>", await browser.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_NamesDomainValuesInEnglish_NotByTheirCodeNames()
    {
        await SwitchAsync("en", "/");
        var queue = await browser.GetStringAsync("/?status=all");
        Assert.Contains("<option value=\"AwaitingSubscriber\">awaiting the subscriber</option>", queue, StringComparison.Ordinal);
        Assert.DoesNotContain(">AwaitingSubscriber<", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSwitch_NeverSendsTheVisitorToAnotherSite()
    {
        var response = await SwitchAsync("en", "https://evil.example/phish");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }
}

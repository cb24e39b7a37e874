using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Reglament.Tests.Infrastructure;

/// <summary>A browser-like client for the test server: keeps cookies, does not follow redirects (tests look at
/// them), and fills in the antiforgery token a form carries, as a browser would submit it.</summary>
public sealed partial class StaffBrowser : IDisposable
{
    private readonly HttpClient client;

    public StaffBrowser(WebApplication app)
        : this(app, new CookieContainer())
    {
    }

    /// <summary>A browser whose cookies are <paramref name="cookies"/>: two of them over one container are one browser
    /// talking to two nodes of the desk behind a load balancer.</summary>
    public StaffBrowser(WebApplication app, CookieContainer cookies)
    {
        Cookies = cookies;
        client = new HttpClient(new CookieHandler(Cookies) { InnerHandler = app.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("http://127.0.0.1/"),
        };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string url) => client.GetAsync(url, TestContext.Current.CancellationToken);

    /// <summary>A GET whose body is read as it comes (server-sent events).</summary>
    public Task<HttpResponseMessage> OpenAsync(string url, CancellationToken cancellationToken) =>
        client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public async Task<string> GetStringAsync(string url)
    {
        var response = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Posts a form the way the page at <paramref name="pageUrl"/> would: with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, string action, IDictionary<string, string> fields)
    {
        var page = await GetStringAsync(pageUrl);
        var token = TokenField().Match(page);
        Assert.True(token.Success, $"no antiforgery token on {pageUrl}");
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        return await PostAsync(action, values);
    }

    /// <summary>Like <see cref="SubmitAsync"/>, with fields that repeat (ticked checkboxes).</summary>
    public async Task<HttpResponseMessage> SubmitFieldsAsync(string pageUrl, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await GetStringAsync(pageUrl);
        var token = TokenField().Match(page);
        Assert.True(token.Success, $"no antiforgery token on {pageUrl}");
        return await client.PostAsync(action, new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token.Groups[1].Value)]), TestContext.Current.CancellationToken);
    }

    /// <summary>Uploads a file the way a page's <c>multipart/form-data</c> form would, with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string pageUrl, string action, string field, string fileName, byte[] content)
    {
        var page = await GetStringAsync(pageUrl);
        var token = TokenField().Match(page);
        Assert.True(token.Success, $"no antiforgery token on {pageUrl}");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" },
            { new ByteArrayContent(content), field, fileName },
        };
        return await client.PostAsync(action, form, TestContext.Current.CancellationToken);
    }

    /// <summary>A bare POST: whatever fields are given, nothing added.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, IDictionary<string, string> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);

    /// <summary>A multipart form (file uploads): the caller adds the antiforgery token it read from the page.</summary>
    public Task<HttpResponseMessage> PostMultipartAsync(string url, MultipartFormDataContent content) =>
        client.PostAsync(url, content, TestContext.Current.CancellationToken);

    public async Task SignInAsync(string login, string password)
    {
        var response = await SubmitAsync("/account/signin", "/account/signin", new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var header = cookies.GetCookieHeader(uri);
            if (header.Length > 0)
                request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set)
                    cookies.SetCookies(uri, cookie);
            return response;
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using NodaTime.Testing;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Web;

/// <summary>Behind a TLS proxy: the scheme a named proxy forwards is believed (HSTS, Secure cookies), a stranger's is not.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.9", false)]
    [InlineData(null, false)]
    public async Task ForwardedHttps_CountsOnlyFromATrustedProxy(string? trustedProxy, bool https)
    {
        var directory = Directory.CreateTempSubdirectory("reglament-proxy-").FullName;
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory };
        if (trustedProxy is not null)
            settings["Web:TrustedProxies:0"] = trustedProxy;
        var app = Reglament.Web.WebApp.Build([], settings, new FakeClock(TestDesk.Tuesday10Msk), b => b.WebHost.UseTestServer());
        try
        {
            await ReglamentServices.PrepareAsync(app.Services, TestContext.Current.CancellationToken);
            await app.StartAsync(TestContext.Current.CancellationToken);

            var context = await app.GetTestServer().SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Path = "/account/signin";
                c.Request.Host = new HostString("desk.example.ru");
                c.Request.Headers["X-Forwarded-Proto"] = "https";
                c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
                c.Connection.RemoteIpAddress = IPAddress.Loopback;
            }, TestContext.Current.CancellationToken);

            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
            Assert.Equal(https, context.Request.IsHttps);
            Assert.Equal(https, context.Response.Headers.ContainsKey("Strict-Transport-Security"));
            Assert.Equal(https ? "203.0.113.7" : "127.0.0.1", context.Connection.RemoteIpAddress?.ToString());
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}

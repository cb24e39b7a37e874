using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Reglament.Web.Api;

/// <summary>Keys that integrations present as <c>Authorization: Bearer KEY</c> (or <c>X-Api-Key</c>).
/// No key configured means the API accepts nobody: secure by default.</summary>
public sealed class ApiOptions
{
    public List<string> Keys { get; set; } = [];
}

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(presented))
            return Task.FromResult(AuthenticateResult.NoResult());
        var bytes = Encoding.UTF8.GetBytes(presented);
        // Constant-time comparison: the key must not leak through timing.
        if (!api.CurrentValue.Keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(k), bytes)))
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api"), new Claim(ClaimTypes.Role, "Integration")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

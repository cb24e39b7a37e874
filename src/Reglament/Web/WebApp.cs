using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Reglament.Data;
using Reglament.Web.Api;
using Scalar.AspNetCore;

namespace Reglament.Web;

/// <summary>The web application: pages, REST API, OpenAPI document, health check.</summary>
public static class WebApp
{
    public static WebApplication Build(string[] args, IDictionary<string, string?> overrides, IClock clock, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // Pages are found through the application name; name it, or a test host would look in its own assembly.
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
        });
        builder.Configuration.AddReglamentSources(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls("http://127.0.0.1:5080");

        var services = builder.Services;
        services.AddReglament(builder.Configuration, clock);
        services.Configure<ApiOptions>(builder.Configuration.GetSection("Api"));
        services.Configure<MetricsOptions>(builder.Configuration.GetSection(MetricsOptions.Section));
        services.Configure<LiveUpdates.Options>(builder.Configuration.GetSection(LiveUpdates.Section));
        // Behind a TLS proxy the desk must see the client's address (rate limits) and the scheme (Secure cookies,
        // HSTS) — but only from proxies named here: anyone else could forge X-Forwarded-For and X-Forwarded-Proto.
        var proxies = builder.Configuration.GetSection("Web:TrustedProxies").Get<string[]>() ?? [];
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        // Cookies and antiforgery tokens are protected with keys every node must share: the key ring lives in the
        // desk's own database (either engine), and the application name is fixed, because the default discriminator is
        // the content root, which differs between two installations of the same desk.
        services.AddDataProtection().SetApplicationName("Reglament").PersistKeysToDbContext<ReglamentDb>();
        services.AddHostedService(sp => sp.GetRequiredService<Sla.SlaWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<Knowledge.AnsweredTickets>());
        services.AddHostedService(sp => sp.GetRequiredService<Coordination.SharedStateRefresher>());
        // Russian text stays readable in the HTML instead of turning into &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails();
        // Binding failures throw instead of answering a bare 400, so BadRequestProblems can name the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        services.AddStaffSignIn(builder.Configuration);
        services.AddPortalSignIn(builder.Configuration);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy("Api", p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddStaffPolicies()
            .AddPortalPolicy();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Reglament API";
            doc.Info.Description = "A service desk that enforces the operator's support regulation. Authenticate with `Authorization: Bearer <key>`.";
            return Task.CompletedTask;
        }));
        services.AddHttpContextAccessor();
        services.AddScoped<PageLanguage>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AuthorizePage("/Index", StaffSignIn.DeskPolicy);
            o.Conventions.AuthorizeFolder("/Desk", StaffSignIn.DeskPolicy);
            // Administration (subscribers, calendar, quarantine) is for supervisors; staff accounts stay administrators'.
            o.Conventions.AuthorizeFolder("/Admin", StaffSignIn.EditorPolicy);
            o.Conventions.AuthorizePage("/Admin/Users", StaffSignIn.AdminPolicy);
            o.Conventions.AuthorizeFolder("/Editor", StaffSignIn.EditorPolicy);
            // Reports judge engineers' work: supervisors and administrators only, like administration.
            o.Conventions.AuthorizeFolder("/Reports", StaffSignIn.EditorPolicy);
            o.Conventions.AuthorizeFolder("/Portal", PortalSignIn.Policy).AllowAnonymousToPage("/Portal/SignIn").AllowAnonymousToPage("/Portal/Link");
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e =>
            e is BadHttpRequestException bad ? bad.StatusCode : Storage.IsUnavailable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        if (proxies.Length > 0)
            app.UseForwardedHeaders();
        // Strict-Transport-Security on HTTPS responses (never for localhost, nor over plain HTTP: the demo stays usable).
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSharedRateLimits();
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.DisableDefaultFonts());
        app.MapHealthChecks();
        app.MapMetrics();
        app.MapTicketsApi();
        app.MapDecisionApi();
        app.MapQueueCountdowns();
        app.MapLiveUpdates();
        Monitoring.MonitoringApi.MapMonitoringApi(app);
        app.MapRazorPages();
        return app;
    }

    public static void Configure(System.Text.Json.JsonSerializerOptions options)
    {
        // Russian text as written («Не работает почта», not \u041D...), but only Latin and Cyrillic are let through:
        // the encoder still escapes <, >, &, ' and " (and everything outside the two ranges), so a subscriber's
        // "<script>" stays inert if a client drops the JSON into a page. UnsafeRelaxedJsonEscaping would pass those
        // characters through unescaped, which is why it is not used here.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.BasicLatin, System.Text.Unicode.UnicodeRanges.Cyrillic);
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Add(new JsonStringEnumConverter());
    }

    private static void MapHealthChecks(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (ReglamentDb db, StorageOptions storage, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct)
                ? Results.Ok(new { status = "healthy", storage = storage.UsesPostgres ? "postgres" : "sqlite" })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable", detail: $"Cannot reach {storage.Describe()}."))
            .WithName("Health").WithTags("Health").AllowAnonymous();
}

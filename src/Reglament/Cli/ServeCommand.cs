using System.CommandLine;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Demo;
using Reglament.Sla;
using Reglament.Mail;
using Reglament.Policy;
using Reglament.Web;

namespace Reglament.Cli;

/// <summary><c>reglament serve [--demo]</c>: the web application and its workers. Unrecognised arguments
/// (<c>--urls</c>, <c>--environment</c>…) go to ASP.NET Core as usual.</summary>
public static class ServeCommand
{
    public const string DemoApiKey = "demo-key";

    /// <summary>EX_CONFIG (sysexits.h): the configuration is not one the desk may run with.</summary>
    public const int ConfigurationError = 78;

    /// <summary>Demo staff: (login, password, role, name). Printed on start; a real desk creates its own with <c>users add</c>.</summary>
    public static readonly IReadOnlyList<(string Login, string Password, Staff.StaffRole Role, string Name)> DemoStaff =
    [
        ("engineer", "demo-engineer", Staff.StaffRole.Engineer, "Анна Смирнова (демо)"),
        ("supervisor", "demo-supervisor", Staff.StaffRole.Supervisor, "Пётр Волков (демо)"),
        ("admin", "demo-admin", Staff.StaffRole.Administrator, "Ольга Кузнецова (демо)"),
    ];

    /// <summary>An authorized contact of the demo data (subscriber u10002) to try the customer portal with.</summary>
    public const string DemoPortalContact = "ivanov@example.org";

    public static Command Create(IClock clock)
    {
        var demo = new Option<bool>("--demo") { Description = "Seed demo subscribers, the sample knowledge base and a few requests; create demo staff accounts (printed)" };
        var command = new Command("serve", "Run the web application (default http://127.0.0.1:5080)") { TreatUnmatchedTokensAsErrors = false };
        command.Options.Add(demo);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var overrides = ReglamentCli.Overrides(parseResult);
            var isDemo = parseResult.GetValue(demo);
            WebApplication app;
            try
            {
                app = WebApp.Build([.. parseResult.UnmatchedTokens], overrides, clock, builder =>
                {
                    builder.Services.AddMailWorkers(builder.Configuration);
                    if (isDemo && !builder.Configuration.GetSection("Api:Keys").GetChildren().Any())
                        builder.Configuration["Api:Keys:0"] = DemoApiKey;
                    // The demo sends no mail: the portal shows the sign-in link on its page instead.
                    if (isDemo && builder.Configuration["Portal:ShowLinkOnPage"] is null)
                        builder.Configuration["Portal:ShowLinkOnPage"] = "true";
                    // The demo has no border mail server whose Authentication-Results could be trusted.
                    if (isDemo && builder.Configuration["Policy:Authentication:Disabled"] is null)
                        builder.Configuration["Policy:Authentication:Disabled"] = "true";
                });
                // Closed by default: a desk that cannot tell a forged sender from a real one does not start.
                var authentication = app.Services.GetRequiredService<IOptions<AuthenticationOptions>>().Value;
                if (authentication.Disabled)
                    app.Logger.LogWarning("The sender check is switched off (Policy:Authentication:Disabled): mail with a forged From is accepted as its contact's");
                else if (string.IsNullOrWhiteSpace(authentication.AuthServId))
                {
                    await Console.Error.WriteLineAsync("reglament: Policy:Authentication:AuthServId is not set: name the authserv-id of your border mail server's Authentication-Results, or set Policy:Authentication:Disabled=true");
                    return ConfigurationError;
                }
                await ReglamentServices.PrepareAsync(app.Services, cancellationToken);
                // The judgement models before any intake worker starts, not on the first message: loading takes
                // milliseconds, but after a new build or a changed Policy setting they are trained (about two
                // CPU-seconds), which the first delivery would otherwise wait for inside its time budget.
                _ = app.Services.GetRequiredService<JudgementModels>().Type;
                await SharedKeyRing.EnsureKeyAsync(app.Services, cancellationToken);
                if (isDemo && await DemoSeeder.SeedAsync(app.Services, cancellationToken))
                    Console.WriteLine("Demo data seeded: 4 subscribers, the sample knowledge base, 5 requests.");
                if (isDemo)
                    await SeedDemoStaffAsync(app.Services, cancellationToken);
            }
            catch (StorageUnavailableException e)
            {
                await Console.Error.WriteLineAsync($"reglament: {e.Message}");
                return ExitCodes.TemporaryFailure;
            }
            var coverage = CalendarCoverage.Check(app.Services.GetRequiredService<ResponseDeadlines>(), clock.GetCurrentInstant());
            foreach (var (year, status) in coverage.Where(c => c.Status != WorkingTime.YearStatus.Verified))
                app.Logger.LogWarning("Production calendar {Year} is {Status}: deadlines that depend on it are provisional; import the published decree with 'reglament calendar import FILE'", year, status);
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                foreach (var url in app.Urls)
                    Console.WriteLine($"Reglament is serving {url}  (API docs: {url.TrimEnd('/')}/scalar)");
                if (isDemo)
                {
                    Console.WriteLine($"Demo API key: {app.Configuration["Api:Keys:0"]}");
                    foreach (var (login, password, role, _) in DemoStaff)
                        Console.WriteLine($"Demo sign-in ({role}): {login} / {password}");
                    Console.WriteLine($"Demo customer portal: {app.Urls.FirstOrDefault()?.TrimEnd('/')}/portal/signin as {DemoPortalContact} (no mail is sent: the link is shown on the page)");
                }
            });
            await app.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The demo accounts, with their known passwords reset on every demo start.</summary>
    public static async Task SeedDemoStaffAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<Staff.StaffAccounts>();
        foreach (var (login, password, role, name) in DemoStaff)
            await accounts.SetAsync(login, name, role, password, cancellationToken);
    }
}

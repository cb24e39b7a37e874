using System.CommandLine;
using NodaTime;
using Reglament.Data;

namespace Reglament.Cli;

/// <summary>The <c>reglament</c> command line: one executable for the web application and every tool.</summary>
public static class ReglamentCli
{
    /// <summary><c>--data-dir</c>, on every command that touches data.</summary>
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Directory of the SQLite database (default ./data); ignored when ConnectionStrings:Postgres is set",
        Recursive = true,
    };

    public static RootCommand Create(IClock clock)
    {
        var root = new RootCommand("Reglament — a service desk that enforces the support regulation");
        root.Options.Add(DataDir);
        root.Subcommands.Add(ServeCommand.Create(clock));
        root.Subcommands.Add(MigrateCommand.Create(clock));
        root.Subcommands.Add(IngestCommand.Create(clock));
        root.Subcommands.Add(SubscribersCommand.Create(clock));
        root.Subcommands.Add(KnowledgeBaseCommand.Create(clock));
        root.Subcommands.Add(SlaCommand.Create(clock));
        root.Subcommands.Add(ReportCommand.Create(clock));
        root.Subcommands.Add(CalendarCommand.Create(clock));
        root.Subcommands.Add(UsersCommand.Create(clock));
        root.Subcommands.Add(QuarantineCommand.Create(clock));
        root.Subcommands.Add(ScreenCommand.Create(clock));
        root.Subcommands.Add(TextCommand.Create(clock));
        root.Subcommands.Add(EvalCommand.Create(clock));
        root.Subcommands.Add(BenchCommand.Create(clock));
        return root;
    }

    /// <summary>Configuration overrides that come from the command line.</summary>
    public static Dictionary<string, string?> Overrides(ParseResult parseResult)
    {
        var overrides = new Dictionary<string, string?>();
        if (parseResult.GetValue(DataDir) is { } dir)
            overrides[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] = dir;
        return overrides;
    }

    /// <summary>The desk's services without the web server, for commands that run and exit.</summary>
    public static ServiceProvider CreateServices(ParseResult parseResult, IClock clock, Action<IServiceCollection>? configureServices = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        configuration.AddReglamentSources(Overrides(parseResult));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReglament(configuration.Build(), clock);
        configureServices?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Runs a command body over storage that is reachable and current (<see cref="ReglamentServices.OpenAsync"/>:
    /// checked, never migrated — only <c>serve</c> and <c>migrate</c> change the schema), turning known failures into
    /// messages and exit codes: storage unavailable, schema behind, a migration lock held too long → 75.</summary>
    public static async Task<int> RunWithStorageAsync(ParseResult parseResult, IClock clock, Func<IServiceProvider, Task<int>> body, Action<IServiceCollection>? configureServices = null) =>
        await RunAsync(parseResult, clock, async services =>
        {
            await ReglamentServices.OpenAsync(services);
            return await body(services);
        }, configureServices);

    /// <summary>A command body with the desk's services; storage failures become a message and exit 75.</summary>
    public static async Task<int> RunAsync(ParseResult parseResult, IClock clock, Func<IServiceProvider, Task<int>> body, Action<IServiceCollection>? configureServices = null)
    {
        try
        {
            await using var services = CreateServices(parseResult, clock, configureServices);
            return await body(services);
        }
        catch (Exception e) when (Storage.IsUnavailable(e))
        {
            var message = e is StorageUnavailableException or SchemaBehindException or MigrationLockException ? e.Message : $"storage unavailable: {e.GetBaseException().Message}";
            await Console.Error.WriteLineAsync($"reglament: {message}");
            return ExitCodes.TemporaryFailure;
        }
    }
}

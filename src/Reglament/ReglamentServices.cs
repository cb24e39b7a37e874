using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Reglament.Data;
using Reglament.Intake;
using Reglament.Knowledge;
using Reglament.Mail;
using Reglament.Monitoring;
using Reglament.Policy;
using Reglament.Sla;
using Reglament.Tickets;

namespace Reglament;

/// <summary>Wires the desk's capabilities; shared by the web application and every CLI command.</summary>
public static class ReglamentServices
{
    /// <summary>Configuration in the usual ASP.NET Core order, plus <c>REGLAMENT_</c> environment variables
    /// (for example <c>REGLAMENT_ConnectionStrings__Postgres</c>) and the CLI's own overrides last.</summary>
    public static void AddReglamentSources(this IConfigurationBuilder configuration, IDictionary<string, string?> overrides)
    {
        configuration.AddEnvironmentVariables("REGLAMENT_");
        configuration.AddInMemoryCollection(overrides);
    }

    public static StorageOptions ReadStorageOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        options.PostgresConnectionString ??= configuration.GetConnectionString("Postgres");
        return options;
    }

    /// <summary>Makes storage ready (directory, migrations; <c>serve</c>, <c>migrate</c>) and loads what the desk keeps there: imported calendar
    /// years, and the knowledge base into its search index.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await Storage.PrepareAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReglamentDb>();
        // Read before loading: a change another node makes meanwhile is then seen as newer and loaded again.
        var versions = await Coordination.SharedVersions.ReadAsync(db, cancellationToken);
        await services.GetRequiredService<TicketDeadlines>().LoadStoredYearsAsync(db, cancellationToken);
        // The report's kept deadlines, read with the calendar just loaded: all of them after the migration that added
        // them or a change of the rules, otherwise none (one query finds nothing to do).
        await services.GetRequiredService<TicketDeadlines>().KeepAllAsync(db, services.GetRequiredService<IClock>().GetCurrentInstant(), cancellationToken);
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().RebuildIndexAsync(cancellationToken);
        services.GetRequiredService<Coordination.SharedVersions>().Loaded(versions);
    }

    /// <summary>For the short commands (<c>ingest</c> once per message, imports, lists): storage reachable and its
    /// schema current — checked, never migrated (<see cref="Storage.EnsureCurrentAsync"/>) — and the imported calendar
    /// years (one small query; deadlines need them). No <c>PRAGMA optimize</c>, no knowledge-base index: that is loaded
    /// on first use (<see cref="KnowledgeBase.EnsureIndexAsync"/>), so a delivery that never asks the knowledge base does
    /// not pay for it.</summary>
    public static async Task OpenAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await Storage.EnsureCurrentAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await services.GetRequiredService<TicketDeadlines>().LoadStoredYearsAsync(scope.ServiceProvider.GetRequiredService<ReglamentDb>(), cancellationToken);
    }

    public static IServiceCollection AddReglament(this IServiceCollection services, IConfiguration configuration, IClock clock)
    {
        services.AddSingleton(clock);
        services.AddReglamentStorage(ReadStorageOptions(configuration));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection("Mail"))
            // Zero would quarantine every message, a negative time throw on each one (and make the MTA retry forever).
            .Validate(o => o.Limits.MaxIntakeTime > TimeSpan.Zero && o.Limits.MaxIntakeTime <= TimeSpan.FromDays(1) && o.Limits.MaxAllocatedBytes > 0,
                "Mail:Limits:MaxIntakeTime must be longer than zero and at most a day (00:00:30 by default), Mail:Limits:MaxAllocatedBytes above zero.")
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section));
        services.AddOptions<ImapOptions>().Bind(configuration.GetSection(ImapOptions.Section));
        services.AddOptions<ScreeningOptions>().Bind(configuration.GetSection("Screening"));
        services.AddOptions<SlaOptions>().Bind(configuration.GetSection("Sla"));
        services.AddSingleton(sp => ResponseDeadlines.Create(sp.GetRequiredService<IOptions<SlaOptions>>().Value));
        services.AddOptions<Coordination.LeaseOptions>().Bind(configuration.GetSection(Coordination.LeaseOptions.Section))
            .Validate(o => o.HolderTimeout > 2 * o.CheckInterval, "Coordination:HolderTimeout must be more than twice Coordination:CheckInterval, or a live holder's session would be ended")
            .ValidateOnStart();
        services.AddSingleton<Coordination.WorkerLeases>();
        services.AddSingleton<Coordination.SharedVersions>();
        services.AddSingleton<Coordination.SharedStateRefresher>();
        services.AddSingleton<SlaSignal>();
        services.AddSingleton<SlaWatcher>();
        services.AddSingleton(sp => SlaRules.From(sp.GetRequiredService<IOptions<SlaOptions>>().Value,
            sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value, sp.GetRequiredService<IOptions<CompletenessOptions>>().Value));
        services.AddSingleton<TicketClock>();
        services.AddSingleton<SlaReport>();
        services.AddSingleton<SupportTime>();
        services.AddSingleton<TicketDeadlines>();
        services.AddSingleton<EngineerReplies>();
        services.Configure<Staff.StaffOptions>(configuration.GetSection(Staff.StaffOptions.Section));
        services.AddScoped<Staff.StaffAccounts>();
        services.AddOptions<KnowledgeOptions>().Bind(configuration.GetSection("Knowledge"));
        services.AddSingleton<KnowledgeIndex>();
        services.AddScoped<KnowledgeBase>();
        services.AddSingleton<AnsweredTickets>();
        services.AddPolicy(configuration);
        services.AddScoped<MailStage>();
        services.AddScoped<AutoReplyGuard>();
        services.AddSingleton<TemplateCache>();
        services.AddScoped<ReplyTemplates>();
        services.AddScoped<ForgedSenderNotice>();
        // Intake's per-message time budget reads this clock (NodaTime's IClock is for domain time; a TimeProvider
        // also drives the budget's CancellationTokenSource); tests replace it.
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<MailIngestion>();
        services.AddScoped<ThreadStage>();
        services.AddScoped<IdentifyStage>();
        services.AddScoped<ScreenStage>();
        services.AddScoped<ClassifyStage>();
        services.AddScoped<DecideStage>();
        services.AddScoped<AnswerStage>();
        services.AddScoped<StoreStage>();
        services.AddScoped<ReplyStage>();
        services.AddScoped<ContinueTicketStage>();
        services.AddScoped<IntakePipeline>();
        services.AddScoped<QuarantineRelease>();
        services.AddMonitoring(configuration);
        return services;
    }
}

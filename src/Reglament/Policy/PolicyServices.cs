namespace Reglament.Policy;

public static class PolicyServices
{
    /// <summary>The regulation's rules, each with its options section under <c>Policy:</c>. Rules are singletons: they
    /// compile their word lists once.</summary>
    public static IServiceCollection AddPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RudenessOptions>().Bind(configuration.GetSection(RudenessOptions.Section));
        services.AddOptions<ScopeOptions>().Bind(configuration.GetSection(ScopeOptions.Section));
        services.AddOptions<RequestTypeOptions>().Bind(configuration.GetSection(RequestTypeOptions.Section));
        services.AddOptions<CriticalityOptions>().Bind(configuration.GetSection(CriticalityOptions.Section));
        services.AddOptions<CompletenessOptions>().Bind(configuration.GetSection(CompletenessOptions.Section));
        services.AddOptions<TrainingOptions>().Bind(configuration.GetSection(TrainingOptions.Section));
        services.AddOptions<AuthenticationOptions>().Bind(configuration.GetSection(AuthenticationOptions.Section));
        services.AddOptions<RefusalReviewOptions>().Bind(configuration.GetSection(RefusalReviewOptions.Section))
            .Validate(o => o.RefusalThreshold >= 0 && double.IsFinite(o.RefusalThreshold), "Policy:Review:RefusalThreshold must be a number ≥ 0 (0.8 by default).")
            .ValidateOnStart();
        services.AddSingleton<RudenessRule>();
        services.AddSingleton<ScopeRule>();
        services.AddSingleton<RequestTypeRule>();
        services.AddSingleton<CriticalityRule>();
        services.AddSingleton<CompletenessRule>();
        services.AddSingleton<JudgementModels>();
        services.AddSingleton<SenderAuthenticityRule>();
        services.AddScoped<DecisionOverrides>();
        services.AddScoped<RefusalReview>();
        services.AddScoped<RequestScreening>();
        return services;
    }
}

namespace Reglament.Monitoring;

public static class MonitoringServices
{
    /// <summary>Monitoring options (validated at start), the incident desk and the intake stage that links requests
    /// to open incidents.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section))
            .Validate(o => !o.Validate().Any(), "Monitoring options are invalid: see Monitoring:ReopenWindowMinutes and Monitoring:Resources.")
            .ValidateOnStart();
        services.AddScoped<IncidentDesk>();
        services.AddScoped<IncidentLinkStage>();
        return services;
    }
}

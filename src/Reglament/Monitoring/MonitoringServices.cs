using Microsoft.Extensions.Options;

namespace Reglament.Monitoring;

public static class MonitoringServices
{
    /// <summary>Monitoring options (validated at start, naming each bad key), the incident desk and the intake stage
    /// that links requests to open incidents.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitoringOptions>().Bind(configuration.GetSection(MonitoringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddScoped<IncidentDesk>();
        services.AddScoped<IncidentLinkStage>();
        return services;
    }
}

internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options) =>
        options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}

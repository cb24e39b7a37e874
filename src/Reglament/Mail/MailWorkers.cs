namespace Reglament.Mail;

/// <summary>The mail channel's background workers in <c>reglament serve</c>: each only when configured, so a desk
/// without a mail server runs as before (replies wait in the outbox).</summary>
public static class MailWorkers
{
    public static IServiceCollection AddMailWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() is { Enabled: true })
            services.AddHostedService<OutboxSender>();
        if (configuration.GetSection(ImapOptions.Section).Get<ImapOptions>() is { Mailboxes.Count: > 0 })
            services.AddHostedService<ImapIntake>();
        services.Configure<LmtpOptions>(configuration.GetSection(LmtpOptions.Section));
        if (configuration.GetSection(LmtpOptions.Section).Get<LmtpOptions>() is { Endpoint.Length: > 0 })
        {
            services.AddSingleton<LmtpListener>();
            services.AddHostedService(sp => sp.GetRequiredService<LmtpListener>());
        }
        return services;
    }
}

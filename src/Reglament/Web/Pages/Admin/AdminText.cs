using Reglament.Subscribers;

namespace Reglament.Web.Pages.Admin;

/// <summary>The words the administration pages use for subscribers: Russian and English, shown through the pages' language (<see cref="PageLanguage"/>).</summary>
public static class AdminText
{
    public static (string Russian, string English) Status(SubscriberStatus status) => status switch
    {
        SubscriberStatus.Active => ("активен", "Active"),
        SubscriberStatus.Suspended => ("услуги приостановлены", "Suspended"),
        SubscriberStatus.Terminated => ("договор расторгнут", "Terminated"),
    };

    public static (string Russian, string English) Kind(SubscriberKind kind) => kind switch
    {
        SubscriberKind.Person => ("физическое лицо", "Person"),
        SubscriberKind.LegalEntity => ("юридическое лицо", "Legal entity"),
    };

    public static (string Russian, string English) Service(ContractedServices service) => service switch
    {
        ContractedServices.SharedHosting => ("виртуальный хостинг", "Shared hosting"),
        ContractedServices.Vps => ("VPS", "VPS"),
        ContractedServices.DedicatedServer => ("выделенный сервер", "Dedicated server"),
        ContractedServices.Colocation => ("размещение", "Colocation"),
        ContractedServices.Domains => ("домены", "Domains"),
        ContractedServices.Mail => ("почта", "Mail"),
        ContractedServices.Backup => ("резервное копирование", "Backup"),
        _ => (service.ToString(), service.ToString()),
    };

    /// <summary>Each single service a contract may include, in the enum's order.</summary>
    public static IReadOnlyList<ContractedServices> AllServices { get; } = [.. Enum.GetValues<ContractedServices>().Where(s => s != ContractedServices.None)];

    public static ContractedServices Combine(IEnumerable<ContractedServices> services) =>
        services.Where(s => AllServices.Contains(s)).Aggregate(ContractedServices.None, (all, s) => all | s);
}

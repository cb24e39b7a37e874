using Reglament.Subscribers;

namespace Reglament.Web.Pages.Admin;

/// <summary>The contracted services as the administration pages list and read them (their words are in <see cref="DomainText"/>).</summary>
public static class AdminText
{
    /// <summary>Each single service a contract may include, in the enum's order.</summary>
    public static IReadOnlyList<ContractedServices> AllServices { get; } = [.. Enum.GetValues<ContractedServices>().Where(s => s != ContractedServices.None)];

    public static ContractedServices Combine(IEnumerable<ContractedServices> services) =>
        services.Where(s => AllServices.Contains(s)).Aggregate(ContractedServices.None, (all, s) => all | s);
}

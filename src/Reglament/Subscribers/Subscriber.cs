using NodaTime;

namespace Reglament.Subscribers;

/// <summary>A party with a contract (абонент). Only its authorized contacts may file requests (R6);
/// its login or client ID must appear in each request (R7); its status and services decide refusals R11b/R11c.</summary>
public sealed class Subscriber
{
    public long Id { get; private set; }

    /// <summary>Login in the operator's control panel, e.g. <c>u12345</c>.</summary>
    public required string Login { get; set; }

    /// <summary>Unique client ID (or contract number) the operator assigned.</summary>
    public required string ClientId { get; set; }

    public required string Name { get; set; }

    /// <summary>The e-mail given at registration; R7 names it as authorization information.</summary>
    public required string RegistrationEmail { get; set; }

    public SubscriberKind Kind { get; set; }

    public SubscriberStatus Status { get; set; } = SubscriberStatus.Active;

    public ContractedServices Services { get; set; }

    public Instant CreatedAt { get; set; }

    public List<AuthorizedContact> Contacts { get; } = [];

    /// <summary>Every change of status, details and contacts (administration issue).</summary>
    public List<SubscriberEvent> History { get; } = [];

    public bool HasContracted(ContractedServices service) => (Services & service) == service;
}

public enum SubscriberKind
{
    Person,
    LegalEntity,
}

public enum SubscriberStatus
{
    Active,
    /// <summary>Services suspended under the contract: requests are refused (R11c) except allowed topics.</summary>
    Suspended,
    /// <summary>The contract has ended: the subscriber is no longer served.</summary>
    Terminated,
}

/// <summary>Services a contract may include; a request about a service not contracted is out of scope (R5, R11b).</summary>
[Flags]
public enum ContractedServices
{
    None = 0,
    SharedHosting = 1,
    Vps = 2,
    DedicatedServer = 4,
    Colocation = 8,
    Domains = 16,
    Mail = 32,
    Backup = 64,
}

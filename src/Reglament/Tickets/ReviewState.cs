namespace Reglament.Tickets;

/// <summary>The review band («на проверку», R11): a refusal the rules proposed without being sure of it. The request is
/// accepted meanwhile; an engineer confirms the refusal or dismisses the proposal, once (see
/// <see cref="Policy.RefusalReview"/>).</summary>
public enum ReviewState
{
    /// <summary>Nothing to review.</summary>
    None,
    /// <summary>A refusal is proposed and waits for an engineer.</summary>
    Pending,
    /// <summary>An engineer confirmed it: the ticket was refused.</summary>
    Confirmed,
    /// <summary>An engineer dismissed it: the request stays accepted.</summary>
    Dismissed,
}

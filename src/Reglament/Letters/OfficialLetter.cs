using NodaTime;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Letters;

/// <summary>R6: an official letter of a legal entity on letterhead, signed by the director with the seal, that an
/// engineer registered and verified. The scan is the ticket's attachment; these are the facts the decision rests on.
/// A subscriber's letter number is registered once (unique index).</summary>
public sealed class OfficialLetter
{
    public long Id { get; private set; }

    public long TicketId { get; set; }

    public Ticket Ticket { get; set; } = null!;

    public long SubscriberId { get; set; }

    /// <summary>The number the legal entity gave its letter (исх. №), as written on it.</summary>
    public required string Number { get; set; }

    /// <summary>The date written on the letter.</summary>
    public LocalDate Date { get; set; }

    /// <summary>Who signed it, with the position: "Генеральный директор Иванов И. И.".</summary>
    public required string Signatory { get; set; }

    /// <summary>The engineer who checked letterhead, signature and seal, and registered the letter.</summary>
    public required string RegisteredBy { get; set; }

    public Instant RegisteredAt { get; set; }

    public const int MaxNumber = 100;

    public const int MaxSignatory = 300;

    /// <summary>The R6 evidence in one line: "official letter No. N of DATE signed by X, verified by engineer Y".</summary>
    public static string Describe(string number, LocalDate date, string signatory, string registeredBy) =>
        $"official letter No. {number} of {date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)} signed by {signatory}; letterhead, signature and seal verified by engineer {registeredBy}";

    public string Describe() => Describe(Number, Date, Signatory, RegisteredBy);

    /// <summary>Only a legal entity writes official letters (R6); a person files by e-mail or the portal.</summary>
    public static bool MayBeSentBy(Subscriber subscriber) => subscriber.Kind == SubscriberKind.LegalEntity;
}

/// <summary>What the engineer registered with the letter, as it travels through intake with the request.</summary>
public sealed record LetterFacts(string Number, LocalDate Date, string Signatory, string RegisteredBy);

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>R6 and R7: the sender must be an authorized contact of a subscriber, and a new request must carry that
/// subscriber's login or client ID. An unknown sender is quarantined (nothing is lost, nobody is answered);
/// missing or someone else's authorization information is refusal reason R11a, and so is an e-mail whose sender the
/// operator's receiving server could not authenticate (SPF/DKIM/DMARC, <see cref="SenderAuthenticityRule"/>).</summary>
public sealed partial class IdentifyStage(ReglamentDb db, IClock clock, SenderAuthenticityRule authenticity) : IIntakeStage
{
    public async Task RunAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Channel == Channel.Monitoring)
            return;
        if (request.Channel == Channel.OfficialLetter)
        {
            await IdentifyLetterAsync(context, cancellationToken);
            return;
        }

        var sender = AuthorizedContact.Normalize(request.Sender);
        var candidates = await db.AuthorizedContacts.Where(c => c.Email == sender)
            .Select(c => c.Subscriber).Distinct().ToListAsync(cancellationToken);

        if (context.IsReply)
        {
            var ticket = context.Ticket!;
            var own = candidates.FirstOrDefault(s => s.Id == ticket.SubscriberId
                && (request.Channel != Channel.WebPortal || s.Id == request.AuthorizedSubscriberId));
            if (own is null)
            {
                await Quarantine.PutAsync(db, context, QuarantineReason.ForeignReply,
                    $"{request.Sender} is not an authorized contact of the subscriber of ticket {ticket.Number}; the reply was not added.", clock.GetCurrentInstant(), cancellationToken);
                return;
            }
            context.Subscriber = own;
            return;
        }

        if (candidates.Count == 0)
        {
            await Quarantine.PutAsync(db, context, QuarantineReason.UnknownSender,
                $"{request.Sender} is not an authorized contact of any subscriber (R6).", clock.GetCurrentInstant(), cancellationToken);
            return;
        }

        context.Evidence.Add(new Evidence("AuthorizedContact", "R6", $"{sender} is an authorized contact"));
        if (request.Channel == Channel.Email)
        {
            // A forged From names an authorized contact too: only the receiving server's results tell them apart.
            var authenticated = authenticity.Check(request.AuthenticationResults);
            if (authenticated.Triggered)
                context.Refusals |= RefusalReasons.MissingAuthorization;
            context.Evidence.AddRange(authenticated.Evidence);
        }
        if (request.Channel == Channel.WebPortal)
        {
            // The contact signed in with a one-time link sent to this address, for one subscriber: that is the
            // authorization (R6, R7), and that subscriber is the one, even when the address is a contact of several.
            if (candidates.FirstOrDefault(s => s.Id == request.AuthorizedSubscriberId) is not { } signedIn)
            {
                await Quarantine.PutAsync(db, context, QuarantineReason.UnknownSender,
                    $"{request.Sender} is no longer an authorized contact of the subscriber it signed in to the portal for (R6).", clock.GetCurrentInstant(), cancellationToken);
                return;
            }
            context.Subscriber = signedIn;
            context.Evidence.Add(new Evidence("AuthorizationByChannel", "R6", "authorized by the WebPortal channel: signed in with a one-time link sent to this address"));
            return;
        }
        var text = request.Text;
        var named = candidates.Where(s => Mentions(text, s.Login) || Mentions(text, s.ClientId)).ToList();
        context.Subscriber = named.Count > 0 ? named[0] : candidates[0];
        if (named.Count == 0)
        {
            var finding = candidates.Count > 1
                ? "the sender is a contact of several subscribers and the request names none of their logins or client IDs"
                : "the request contains neither the login nor the client ID";
            context.Refuse(RefusalReasons.MissingAuthorization, new Evidence("AuthorizationInfo", "R7", finding));
            return;
        }

        var subscriber = context.Subscriber;
        var foreign = LabelledIdentifiers(text).FirstOrDefault(id =>
            !id.Equals(subscriber.Login, StringComparison.OrdinalIgnoreCase) && !id.Equals(subscriber.ClientId, StringComparison.OrdinalIgnoreCase));
        if (foreign is not null)
        {
            context.Refuse(RefusalReasons.MissingAuthorization,
                new Evidence("AuthorizationInfo", "R7", "the request names an identifier that is not the sender's subscriber's", foreign));
            return;
        }
        context.Evidence.Add(new Evidence("AuthorizationInfo", "R7", "login or client ID of the subscriber present",
            Mentions(text, subscriber.Login) ? subscriber.Login : subscriber.ClientId));
    }

    /// <summary>R6: a legal entity's letter on letterhead, signed by the director with the seal, that an engineer
    /// verified is the authorization, and the subscriber is the one the engineer registered it for — not whoever
    /// the reply address belongs to. R7 does not apply: the letter identifies its sender.</summary>
    private async Task IdentifyLetterAsync(IntakeContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var letter = request.Letter ?? throw new InvalidOperationException("An official letter without its facts.");
        var subscriber = await db.Subscribers.FirstOrDefaultAsync(s => s.Id == request.AuthorizedSubscriberId, cancellationToken)
            ?? throw new InvalidOperationException($"Subscriber {request.AuthorizedSubscriberId} does not exist.");
        context.Subscriber = subscriber;
        var facts = Letters.OfficialLetter.Describe(letter.Number, letter.Date, letter.Signatory, letter.RegisteredBy);
        if (!Letters.OfficialLetter.MayBeSentBy(subscriber))
        {
            context.Refuse(RefusalReasons.MissingAuthorization, new Evidence("OfficialLetter", "R6", $"{facts}; but {subscriber.Login} is not a legal entity, and only a legal entity's letter is a basis for work"));
            return;
        }
        context.Evidence.Add(new Evidence("OfficialLetter", "R6", facts, letter.Number));
    }

    /// <summary>Whole-word, case-insensitive: "u12345" must not match inside "u123456".</summary>
    internal static bool Mentions(string text, string identifier) =>
        identifier.Length > 0 && Regex.IsMatch(text, $@"(?<![\p{{L}}\d_.-]){Regex.Escape(identifier)}(?![\p{{L}}\d_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Identifiers the sender explicitly labelled, as in "логин: ivanov" or "ID клиента 104523".</summary>
    internal static IEnumerable<string> LabelledIdentifiers(string text) =>
        LabelPattern().Matches(text).Select(m => m.Groups["id"].Value.TrimEnd('.', ','));

    // A label, then either a separator and any identifier, or just a space and an identifier with a digit in it:
    // "логин: ivanov", "ID клиента 104523" — but not the ordinary words in "логин от панели".
    [GeneratedRegex(@"(?<![\p{L}\d])(?:логин|login|id\s+клиента|client\s*id|номер\s+клиента|id)(?:\s*[:№#=]\s*(?<id>[\p{L}\d][\p{L}\d_.-]{1,63})|\s+(?<id>[\p{L}_]*\d[\p{L}\d_.-]*))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}

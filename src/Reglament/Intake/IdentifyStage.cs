using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;
using Reglament.Policy;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Intake;

/// <summary>R6 and R7 for a new request (a reply's sender is checked by <see cref="ContinueTicketStage"/>): the sender
/// must be an authorized contact of a subscriber, and the request must carry that
/// subscriber's login or client ID. An unknown sender is quarantined (nothing is lost, nobody is answered);
/// missing or someone else's authorization information is refusal reason R11a, and so is an e-mail whose sender the
/// operator's receiving server could not authenticate (SPF/DKIM/DMARC, <see cref="SenderAuthenticityRule"/>).</summary>
public sealed class IdentifyStage(ReglamentDb db, IClock clock, SenderAuthenticityRule authenticity) : IIntakeStage
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
        // R7: the identifiers the request names decide which of the sender's subscribers it is for, and each must be
        // that subscriber's. Read with the signature (a client ID often lives there), without quoted history.
        var named = AuthorizationInfoRule.Find(request.OwnText);
        context.Subscriber = candidates.FirstOrDefault(named.NamesLoginOrId) ?? candidates[0];
        var values = named.Candidates.ToList();
#pragma warning disable CA1304, CA1311 // translated to SQL lower(), which is culture-free
        var others = values.Count == 0 ? [] : await db.Subscribers
            .Where(s => values.Contains(s.Login.ToLower()) || values.Contains(s.ClientId) || values.Contains(s.RegistrationEmail.ToLower()))
            .ToListAsync(cancellationToken);
#pragma warning restore CA1304, CA1311
        var verdict = AuthorizationInfoRule.Check(named, context.Subscriber, sender, others);
        if (verdict.Triggered)
            context.Refusals |= RefusalReasons.MissingAuthorization;
        context.Evidence.AddRange(verdict.Evidence);
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
}

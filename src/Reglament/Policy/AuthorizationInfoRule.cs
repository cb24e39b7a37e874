using System.Text.RegularExpressions;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>The identifiers a request names, read as words: a login only as a word of its own (not inside a domain,
/// an e-mail address, a path or a URL), a client ID only as a six-digit word, e-mail addresses whole.</summary>
public sealed record NamedIdentifiers(IReadOnlySet<string> Words, IReadOnlySet<string> Labelled, IReadOnlySet<string> Emails)
{
    /// <summary>Values that may be another subscriber's identifiers: labelled words and every address.</summary>
    public IEnumerable<string> Candidates => Labelled.Concat(Emails);

    public bool NamesLoginOrId(Subscriber subscriber) => Words.Contains(subscriber.Login.ToLowerInvariant()) || Words.Contains(subscriber.ClientId);
}

/// <summary>R7 → R11a: every e-mail request carries (a) the subscriber's login or client ID and (b) the registration
/// e-mail — written in the text, or implied because the mail comes from it; and every identifier it names belongs
/// to the sender's subscriber. Exact, so its refusals need no review.</summary>
public static partial class AuthorizationInfoRule
{
    public const string Rule = "AuthorizationInfo";

    public static NamedIdentifiers Find(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Email().Matches(text))
            emails.Add(m.Value.ToLowerInvariant());
        // Technical chunks (addresses, URLs, paths, host names) hide their parts: "shop.petrova.test" names no login.
        var plain = Technical().Replace(text, " ");
        foreach (Match m in Word().Matches(plain))
            words.Add(m.Value.ToLowerInvariant());
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Labelled().Matches(plain))
            labelled.Add(m.Groups["id"].Value.ToLowerInvariant());
        return new NamedIdentifiers(words, labelled, emails);
    }

    /// <summary>Checks the request of <paramref name="sender"/> for <paramref name="subscriber"/>; <paramref name="others"/>
    /// are the other subscribers whose login, client ID or registration e-mail the text names.</summary>
    public static RuleVerdict Check(NamedIdentifiers named, Subscriber subscriber, string sender, IReadOnlyList<Subscriber> others)
    {
        var evidence = new List<Evidence>();
        var missing = new List<(string Finding, string? Fragment)>();
        if (named.NamesLoginOrId(subscriber))
            evidence.Add(new Evidence(Rule, "R7", "login or client ID of the subscriber present",
                named.Words.Contains(subscriber.Login.ToLowerInvariant()) ? subscriber.Login : subscriber.ClientId));
        else
            missing.Add(("the request contains neither the login nor the client ID (as a word of its own)", null));

        var registration = subscriber.RegistrationEmail.ToLowerInvariant();
        if (string.Equals(sender, registration, StringComparison.OrdinalIgnoreCase))
            evidence.Add(new Evidence(Rule, "R7", "registration e-mail implied: the request comes from it", subscriber.RegistrationEmail));
        else if (named.Emails.Contains(registration))
            evidence.Add(new Evidence(Rule, "R7", "registration e-mail written in the request", subscriber.RegistrationEmail));
        else
            missing.Add(("the registration e-mail is neither written in the request nor the sender's address", null));

        foreach (var other in others.Where(o => o.Id != subscriber.Id))
        {
            var foreign = named.Labelled.Contains(other.Login.ToLowerInvariant()) ? other.Login
                : named.Labelled.Contains(other.ClientId) ? other.ClientId
                : named.Emails.Contains(other.RegistrationEmail.ToLowerInvariant()) ? other.RegistrationEmail
                : null;
            if (foreign is not null)
                missing.Add(("the request names an identifier of another subscriber", foreign));
        }
        if (missing.Count == 0)
            return new RuleVerdict(false, evidence);
        return new RuleVerdict(true, [.. evidence, .. missing.Select(m => new Evidence(Rule, "R7", m.Finding, m.Fragment))]);
    }

    // A word of its own: not preceded or followed by characters that would make it part of a longer token.
    [GeneratedRegex(@"(?<![\p{L}\d_\-])[\p{L}\d_\-]+(?![\p{L}\d_\-])", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex(@"[\p{L}\d._%+\-]+@[\p{L}\d.\-]+\.[\p{L}]{2,}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Email();

    // URLs, e-mail addresses, paths and dotted host names as whole chunks.
    [GeneratedRegex(@"\S*://\S*|[\p{L}\d._%+\-]+@[\p{L}\d.\-]+|(?:[\p{L}\d_\-~]*/[\p{L}\d_.\-~/]+)|[\p{L}\d_\-]+(?:\.[\p{L}\d_\-]+)+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Technical();

    // This one and Word keep the backtracking engine: NonBacktracking has no lookbehind. Each match attempt starts at a
    // literal label word or at a word boundary and reads at most one word run, so they stay linear in the text.
    // "логин: petrova", "login petrova", "ID 300417", "ID клиента 300417", "номер клиента 300417", "мой аккаунт: x",
    // "[petrova]" — a label, then the identifier.
    [GeneratedRegex(@"(?:(?<![\p{L}\d])(?:логин\w*|login|username|user|аккаунт\w*|account|уч[её]тн\w+\s+запис\w+|id|ид|идентификатор\w*|номер\s+клиента|клиентск\w+\s+номер|номер\s+договора|договор\w*|client\s*id|customer\s*id|id\s+клиента|абонент\w*)(?:\s+(?:клиента|абонента|в\s+панели|в\s+системе))?\s*(?:[:№#=\-—]|is)?\s*(?<id>[\p{L}\d][\p{L}\d_\-]{1,40})|\[(?:id\s*)?(?<id>[\p{L}\d][\p{L}\d_\-]{1,40})\])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Labelled();
}

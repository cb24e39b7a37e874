using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R10, R11d: a request in a rude or expressive form with obscene words or swearing is refused; for a reply
/// in an existing ticket the finding goes to the engineer instead (the conversation is not closed silently).</summary>
public sealed class RudenessRule
{
    public const string Rule = "Rudeness";
    private readonly RudenessDetector detector;
    private readonly RudenessOptions options;

    public RudenessRule(IOptions<RudenessOptions> options)
    {
        this.options = options.Value;
        detector = new RudenessDetector(this.options.Lexicon);
    }

    /// <summary>Checks <paramref name="text"/>; the subscriber's own login, the names in its contact addresses and the
    /// words of its name are its identity, never an insult ("kozlov" is a login before it is a transliterated
    /// «козлов»), so they are blanked first.</summary>
    /// <param name="text">What the subscriber wrote (this time).</param>
    /// <param name="subscriber">Whose own names are blanked first.</param>
    /// <param name="whole">The whole request — the forwarded and quoted text too — when <paramref name="text"/> is only
    /// what the subscriber wrote this time: insults there are aimed at whom their author wrote to, but obscenity in a
    /// forwarded third-party text the sender put into the request still counts (judgement.md).</param>
    public RuleVerdict Check(string text, Subscribers.Subscriber? subscriber = null, string? whole = null)
    {
        if (options.IgnoreQuotedLines)
            text = WithoutQuotedLines(text);
        if (subscriber is not null)
            text = WithoutOwnNames(text, subscriber);
        var verdict = detector.Analyze(text);
        if (whole is not null && verdict.Kind != RudenessKind.Obscene)
        {
            var forwarded = detector.Analyze(subscriber is null ? whole : WithoutOwnNames(whole, subscriber)).Fragments.Where(f => f.Kind == RudenessKind.Obscene).ToList();
            if (forwarded.Count > 0)
                verdict = new RudenessVerdict([.. verdict.Fragments, .. forwarded]);
        }
        if (!verdict.IsRude)
            return RuleVerdict.Pass;
        // The detector's confidence travels with the refusal: an unsure finding (an insult by implication, or one whose
        // target is doubtful) is proposed for an engineer's review, not made.
        return RuleVerdict.Found([.. verdict.Fragments.OrderByDescending(f => f.Confidence).Select(f => new Evidence(Rule, "R11d",
            f.Kind == RudenessKind.Obscene ? $"obscene language (entry {f.Entry}) at {f.Start}"
            : f.Confidence < RudenessConfidence.Certain ? $"possibly an insult aimed at people ({f.Entry}; confidence {f.Confidence:0.00}) at {f.Start}: for an engineer to judge"
            : $"insult aimed at people (entry {f.Entry}) at {f.Start}",
            f.Text))]) with { Confidence = verdict.Confidence };
    }

    /// <summary>The subscriber's login, the local parts of its addresses and the words of its name, blanked with offsets
    /// kept.</summary>
    internal static string WithoutOwnNames(string text, Subscribers.Subscriber subscriber)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { subscriber.Login };
        foreach (var address in subscriber.Contacts.Select(c => c.Email).Append(subscriber.RegistrationEmail))
        {
            var at = address.IndexOf('@', StringComparison.Ordinal);
            if (at > 0)
                names.Add(address[..at]);
        }
        foreach (var word in subscriber.Name.Split([' ', '«', '»', '"', '.', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length >= 3)
                names.Add(word);
        }
        var chars = text.ToCharArray();
        foreach (var name in names.Where(n => n.Length >= 3))
        {
            var from = 0;
            while ((from = text.IndexOf(name, from, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var before = from == 0 || !char.IsLetterOrDigit(text[from - 1]);
                var end = from + name.Length;
                // The name with an inflection ending («Козлову») is still the name.
                while (end < text.Length && end - from - name.Length < 3 && char.IsLetter(text[end]))
                    end++;
                if (before && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                    Array.Fill(chars, ' ', from, end - from);
                from += name.Length;
            }
        }
        return new string(chars);
    }

    /// <summary>Lines quoted from an earlier message ("&gt; …") are someone else's words: blanked, offsets kept.</summary>
    internal static string WithoutQuotedLines(string text)
    {
        if (!text.Contains('>', StringComparison.Ordinal))
            return text;
        var chars = text.ToCharArray();
        var lineStart = 0;
        for (var i = 0; i <= chars.Length; i++)
        {
            if (i < chars.Length && chars[i] != '\n')
                continue;
            var line = text.AsSpan(lineStart, i - lineStart).TrimStart();
            if (line.StartsWith('>'))
                Array.Fill(chars, ' ', lineStart, i - lineStart);
            lineStart = i + 1;
        }
        return new string(chars);
    }
}

/// <summary>Options of the rudeness rule (section <c>Policy:Rudeness</c>). The word lists are
/// <see cref="RudenessLexicon"/>'s; configured entries are added to the defaults.</summary>
public sealed class RudenessOptions
{
    public const string Section = "Policy:Rudeness";

    /// <summary>Skip lines quoted from earlier messages (they are not the sender's words).</summary>
    public bool IgnoreQuotedLines { get; set; } = true;

    public RudenessLexicon Lexicon { get; set; } = RudenessLexicon.Default;
}

using Microsoft.Extensions.Options;
using Reglament.Intake;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>What an incomplete problem report lacks (R8).</summary>
public enum MissingInformation
{
    /// <summary>A detailed description of the problem.</summary>
    Description,
    /// <summary>The steps that led to it (or at least when it started).</summary>
    Steps,
    /// <summary>The texts of the messages received, or screenshots.</summary>
    ErrorText,
}

/// <summary>R8: a problem report carries a detailed description, the sequence of actions that led to the problem, and
/// the texts of all messages received or screenshots. An incomplete incident is not refused: support asks for exactly
/// what is missing (decision NeedsMoreInformation, ticket AwaitingSubscriber).</summary>
public sealed partial class CompletenessRule(IOptions<CompletenessOptions> options)
{
    public const string Rule = "Completeness";
    private readonly PhraseList steps = new(options.Value.StepPhrases);
    private readonly PhraseList errors = new(options.Value.ErrorPhrases);

    public CompletenessOptions Options => options.Value;

    /// <summary>What the exact checks see, as features for the learned completeness model: which parts are missing,
    /// a time of onset, an attachment, the length.</summary>
    public IEnumerable<string> Signals(string text, int attachments)
    {
        var (missing, _, _) = Parts(text, attachments);
        foreach (var m in missing)
            yield return $"⟨no-{m}⟩";
        if (TimeOfDay().IsMatch(text))
            yield return "⟨time⟩";
        if (!NamesObject(text))
            yield return "⟨no-object⟩";
        if (attachments > 0)
            yield return "⟨attachment⟩";
        var words = CountWords(text);
        yield return words < 15 ? "⟨short⟩" : words < 40 ? "⟨medium⟩" : "⟨long⟩";
    }

    /// <summary>R8 for an incident: the exact checks name what is missing; the learned model (trained on the
    /// development corpus) decides whether the report as a whole lets an engineer work — many complete reports miss
    /// one of the exact markers and many incomplete ones have them all ("some error", "it says something").</summary>
    public (IReadOnlyList<MissingInformation> Missing, IReadOnlyList<Evidence> Evidence) Check(InboundRequest request, RequestType type, Criticality criticality, JudgementModels models)
    {
        var o = options.Value;
        if (type != RequestType.Incident)
            return ([], []);
        if (o.ExemptCritical && criticality == Criticality.Critical)
            return ([], [new Evidence(Rule, "R8", "a Critical incident is worked at once; details are asked for by the engineer")]);
        var (missing, evidence, objectUnnamed) = Parts(request.Text, request.Attachments.Count);
        var prediction = models.Completeness.Predict(models.CompletenessFeatures(request.Text, request.Attachments.Count));
        var p = prediction.Probabilities.GetValueOrDefault("incomplete");
        // The exact checks finding every part present outweigh a model that is only fairly sure: short complete
        // reports look like the short incomplete ones it learned from.
        // A report missing only the object's name, with its symptom, error and onset, reads like the subscriber's one
        // site or mailbox («вебмейл не открывается с обеда, 504»): the model must be as sure as when nothing is missing.
        var onlyObject = objectUnnamed && missing is [MissingInformation.Description];
        var incomplete = p >= 0.5 && ((missing.Count > 0 && !onlyObject) || p >= o.IncompleteDespiteChecks);
        if (!incomplete)
            return ([], [.. evidence, new Evidence(Rule, "R8", $"the report lets an engineer work (probability of incomplete {p:0.00})", string.Join(", ", prediction.Drivers))]);
        if (missing.Count == 0)
            missing.Add(MissingInformation.ErrorText);
        return (missing, [.. evidence, new Evidence(Rule, "R8", $"the report is incomplete (probability {p:0.00})", string.Join(", ", prediction.Drivers))]);
    }

    private (List<MissingInformation> Missing, List<Evidence> Evidence, bool ObjectUnnamed) Parts(string text, int attachments)
    {
        var o = options.Value;
        var missing = new List<MissingInformation>();
        var evidence = new List<Evidence>();
        var words = CountWords(text);
        var objectUnnamed = false;
        if (words < o.MinDescriptionWords)
        {
            missing.Add(MissingInformation.Description);
            evidence.Add(new Evidence(Rule, "R8", $"description missing: {words} words, at least {o.MinDescriptionWords} expected"));
        }
        else if (!NamesObject(text))
        {
            // judgement: a complete report names the affected object; «сайт не работает» does not say which.
            objectUnnamed = true;
            missing.Add(MissingInformation.Description);
            evidence.Add(new Evidence(Rule, "R8", "the affected object is not named: no site address, mailbox, IP address or server name"));
        }
        if (steps.FindFirst(text) is { } step)
            evidence.Add(new Evidence(Rule, "R8", "steps or onset described", step.Text));

        else
        {
            missing.Add(MissingInformation.Steps);
            evidence.Add(new Evidence(Rule, "R8", "the steps that led to the problem are missing"));
        }
        if (o.AttachmentsCountAsErrorText && attachments > 0)
            evidence.Add(new Evidence(Rule, "R8", "error text or screenshot attached"));
        else if (errors.FindFirst(text) is { } error)
            evidence.Add(new Evidence(Rule, "R8", "error text quoted", error.Text));
        else if (SystemError().Match(text) is { Success: true } printed)
            evidence.Add(new Evidence(Rule, "R8", "error text quoted", printed.Value));
        else if (SaysMessage().Match(text) is { Success: true } said)
            evidence.Add(new Evidence(Rule, "R8", "error text quoted", said.Value));
        else if (QuotedText(text) is { } quoted)
            evidence.Add(new Evidence(Rule, "R8", "message text quoted", quoted));
        else
        {
            missing.Add(MissingInformation.ErrorText);
            evidence.Add(new Evidence(Rule, "R8", "no error text and no screenshot"));
        }
        return (missing, evidence, objectUnnamed);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex TimeOfDay();

    // Non-backtracking (both): the rules read whatever a subscriber sends, and the nested quantifiers of a dotted name
    // cost quadratic time on a long run of letters and dots with the backtracking engine.
    /// <summary>An object an engineer can look at: a host or site name, a mailbox, an IP address, or a server's own
    /// name (letters and digits joined, «gis-test-01», «vps49»).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b[\p{L}\d-]+(\.[\p{L}\d-]+)*\.\p{L}{2,}\b|\b\d{1,3}(\.\d{1,3}){3}\b|\b\p{L}+[-_]?\p{L}*[-_]?\d+\b", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex ObjectName();

    internal static bool NamesObject(string text)
    {
        foreach (var match in ObjectName().EnumerateMatches(text))
        {
            // The host part of an address is matched from after its «@»: the words before are those before the address.
            var start = match.Index;
            if (start > 0 && text[start - 1] == '@')
            {
                start--;
                while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '_' or '-' or '+'))
                    start--;
            }
            if (!Identifies(text.AsSpan(0, start)))
                return true;
        }
        return false;
    }

    /// <summary>Whether the words before a name say it identifies the writer — «логин shkola42», «e-mail регистрации
    /// admin@…», «рег. почта tech@…», «регистрационный адрес it@…», «reg e-mail: infra@…», «логин petrova, p@…» —
    /// rather than naming what is broken: the registration address and the login are identifiers (R7), not the
    /// affected object. Only right before the name: «после смены логина сайт site.ru не открывается» names the site.</summary>
    private static bool Identifies(ReadOnlySpan<char> before)
    {
        var end = before.Length;
        var previous = ReadOnlySpan<char>.Empty;
        for (var words = 0; words < 3; words++)
        {
            while (end > 0 && !char.IsLetterOrDigit(before[end - 1]))
                end--;
            var start = end;
            while (start > 0 && char.IsLetterOrDigit(before[start - 1]))
                start--;
            if (start == end)
                return false;
            var word = before[start..end];
            if (IsAny(word, IdentifyingWords))
                // A marker right before the name, after the nouns of an address, or before a login's value.
                return words == 0 || IsAny(previous, AddressNouns) || words == 1 && IsLoginValue(previous);
            if (!IsAny(word, AddressNouns) && !(words == 0 && IsLoginValue(word)))
                return false;
            previous = word;
            end = start;
        }
        return false;
    }

    private static bool IsLoginValue(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                return false;
        }
        return true;
    }

    private static bool IsAny(ReadOnlySpan<char> word, string[] markers)
    {
        foreach (var marker in markers)
        {
            if (marker.EndsWith('*') ? word.StartsWith(marker.AsSpan(0, marker.Length - 1), StringComparison.OrdinalIgnoreCase)
                : word.Equals(marker, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static readonly string[] IdentifyingWords = ["регистр*", "рег", "registr*", "reg", "логин*", "login"];

    private static readonly string[] AddressNouns = ["почт*", "адрес*", "ящик*", "email", "mail", "e", "электрон*"];

    private static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
                count++;
            inWord = letter;
        }
        return count;
    }

    /// <summary>«Ошибка: …», «пишет — …», «выдаёт: …» followed by the words of the message: the error text itself. The
    /// bare words («выдаёт какую-то ошибку», «пишет что-то») are not (judgement: "some error" is incomplete).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:ошибк\w*|пишет|выда[её]т|сообщени\w*|error)\s*[:—–-]\s*[^\s:—–-][^\n]{8,}", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex SaysMessage();

    /// <summary>The English word as a system prints it («Internal Server Error», «ERROR 1045», «[error]», «error: …»),
    /// not the subscriber's own «some error», which says no more than «какая-то ошибка» (judgement: incomplete).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\bError\b|\bERROR\b|\[error\]|\berror\s*[:#(]|\berror\s+\d", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex SystemError();

    /// <summary>A message copied into the request: «…» or "…" with at least two words in it. A name is not a message:
    /// a quotation after an abbreviation in capitals (ООО «…», МБУК «…», ПАО «…») or holding a quotation of its own
    /// («Стоматология „Улыбка+“»), as organisations are written.</summary>
    private static string? QuotedText(string text)
    {
        foreach (var (open, close) in new[] { ('«', '»'), ('"', '"'), ('“', '”') })
        {
            for (var start = text.IndexOf(open, StringComparison.Ordinal); start >= 0; start = text.IndexOf(open, start + 1))
            {
                var end = text.IndexOf(close, start + 1);
                if (end < 0)
                    break;
                var inside = text.AsSpan(start + 1, end - start - 1).Trim();
                if (inside.Length > 4 && inside.Contains(' ') && !inside.Contains('„') && !AfterAbbreviation(text.AsSpan(0, start)))
                    return text[start..(end + 1)];
                start = end;
            }
        }
        return null;
    }

    private static bool AfterAbbreviation(ReadOnlySpan<char> before)
    {
        before = before.TrimEnd();
        var start = before.Length;
        while (start > 0 && char.IsLetter(before[start - 1]))
            start--;
        var word = before[start..];
        if (word.Length is < 2 or > 6)
            return false;
        foreach (var c in word)
        {
            if (!char.IsUpper(c))
                return false;
        }
        return true;
    }
}

/// <summary>Options of the completeness rule (section <c>Policy:Completeness</c>).</summary>
public sealed class CompletenessOptions
{
    public const string Section = "Policy:Completeness";

    /// <summary>Words (subject and body) below which there is no description.</summary>
    public int MinDescriptionWords { get; set; } = 6;

    /// <summary>Phrases that describe the steps or at least when the problem started.</summary>
    public List<string> StepPhrases { get; set; } =
    [
        "шаг*", "после", "пыта*", "пробу*",
        "попробова*", "попыт*", "нажима*", "нажал*", "нажат*", "захож*", "зашел", "зашли", "открыл*", "с утра", "со вчера*",
        "вчера", "сегодня", "с момент*", "начиная с", "сначала", "затем", "потом", "обновил*", "перестал*", "с ночи", "ночью", "утром",
        "вечером", "минут назад", "час назад",
        // Onset by the day's parts and the week's days (session 14): «вебмейл не открывается с обеда».
        "с обеда", "в обед", "днем", "с вечера", "позавчера", "с выходных", "на выходных", "с понедельник*", "со вторник*", "со сред*",
        "с четверг*", "с пятниц*", "с суббот*", "с воскресень*", "дня назад", "дней назад", "неделю назад", "с прошлой недели",
        "ничего не меня*", "не меняли", "ничего не трога*", "не трогали", "ничего не делали", "steps", "step", "when", "after", "since", "tried",
    ];

    /// <summary>Phrases that show the text of an error message is in the request.</summary>
    public List<string> ErrorPhrases { get; set; } =
    [
        "exception", "fatal", "warning", "failed", "denied", "timeout",
        "timed out", "bad gateway", "forbidden", "not found", "refused", "500", "502", "503", "504", "403", "404", "550", "554", "421",
        "451", "535",
    ];

    /// <summary>How sure the learned model must be that a report is incomplete when the exact checks find every part.</summary>
    public double IncompleteDespiteChecks { get; set; } = 0.9;

    /// <summary>Any attachment counts as the error text or a screenshot.</summary>
    public bool AttachmentsCountAsErrorText { get; set; } = true;

    /// <summary>True: a Critical incident is worked at once and the engineer asks for details while working. False (the
    /// operator's reading): a declared or inferred criticality does not exempt a report from R8.</summary>
    public bool ExemptCritical { get; set; }

    /// <summary>False (the default): no response deadline runs while support waits for the missing information; the
    /// deadline is set when the subscriber's reply arrives, counted from that reply. True: the deadline is set at
    /// intake as for a complete request.</summary>
    public bool ClockRunsWhileAwaiting { get; set; }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R12: criticality as the subscriber declared it ("[Critical]", "критично", "срочно", "Критичность: высокая"),
/// otherwise inferred from the regulation's definitions. Configuration changes and backup restores are Low whatever
/// was declared — the regulation lists them under Low — and so are questions and out-of-scope requests.</summary>
public sealed partial class CriticalityRule(IOptions<CriticalityOptions> options)
{
    public const string Rule = "Criticality";
    private readonly (Criticality Level, PhraseList Phrases)[] declared =
    [
        // Most specific first: "не срочно" is Low before "срочно" is Urgent.
        (Criticality.Low, new PhraseList(options.Value.DeclaredLow)),
        (Criticality.Normal, new PhraseList(options.Value.DeclaredNormal)),
        (Criticality.Critical, new PhraseList(options.Value.DeclaredCritical)),
        (Criticality.Urgent, new PhraseList(options.Value.DeclaredUrgent)),
    ];
    private readonly PhraseList critical = new(options.Value.InferredCritical);
    private readonly PhraseList urgent = new(options.Value.InferredUrgent);
    private readonly PhraseList normal = new(options.Value.InferredNormal);

    /// <summary>Signals of the regulation's impact levels, as features for the learned impact classifier, which weighs
    /// them against everything else the request says.</summary>
    public IEnumerable<string> Signals(string text)
    {
        if (critical.FindFirst(text) is not null)
            yield return "⟨impact-critical⟩";
        if (urgent.FindFirst(text) is not null)
            yield return "⟨impact-urgent⟩";
        if (normal.FindFirst(text) is not null)
            yield return "⟨impact-normal⟩";
    }

    [GeneratedRegex(@"\[\s*(critical|urgent|normal|low)\s*\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    /// <summary>A line of pasted machine output: a time with seconds, columns between pipes, or an ISO date first, and no
    /// Russian word — «Упал в 10:15:30, критично!» is the subscriber's own line.</summary>
    private static bool IsMachineLine(string line) => MachineLine().IsMatch(line) && !line.Any(c => c is >= 'а' and <= 'я' or >= 'А' and <= 'Я' or 'ё' or 'Ё');

    /// <summary>The patterns of <see cref="IsMachineLine"/>.</summary>
    [GeneratedRegex(@"\b\d{1,2}:\d{2}:\d{2}\b|\|[^\n|]*\||^\W{0,2}\d{4}-\d{2}-\d{2}", RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex MachineLine();

    /// <summary>The level the subscriber declared in the subject or the body, with the words, or null.</summary>
    public (Criticality Level, string Words)? Declared(string subject, string body)
    {
        // A level in pasted machine output («Upper Critical going high» in a sensor log) is the machine's, not a declaration.
        if (MachineLine().IsMatch(body))
            body = string.Join('\n', body.Split('\n').Where(line => !IsMachineLine(line)));
        foreach (var text in new[] { subject, body })
        {
            // A level in square brackets is the convention the regulation's own examples use ("[Critical]", "[Normal]"):
            // always a declaration, whereas a bare "normal" in an English log line is not.
            if (Tag().Match(text) is { Success: true } tag
                && Enum.TryParse<Criticality>(tag.Groups[1].Value, ignoreCase: true, out var tagged))
                return (tagged, tag.Value);
            foreach (var (level, phrases) in declared)
            {
                if (phrases.FindFirst(text) is { } match)
                    return (level, match.Text);
            }
        }
        return null;
    }

    /// <summary>Forced Low for config changes and restores; else the declared level; else Low for questions and
    /// consulting; else the impact of an incident as the learned model reads it, with its probability.</summary>
    public (Criticality Level, bool Declared, double Confidence, Evidence Evidence) Assess(JudgementModels models, RequestType type, string subject, string body)
    {
        if (type is RequestType.ConfigChange or RequestType.BackupRestore)
            return (Criticality.Low, false, 1, new Evidence(Rule, "R12", $"{type}: configuration changes and backup restores are Low under the regulation"));
        if (Declared(subject, body) is { } declaredLevel)
            return (declaredLevel.Level, true, 1, new Evidence(Rule, "R12", $"declared by the subscriber as {declaredLevel.Level}", declaredLevel.Words));
        if (type is RequestType.Question or RequestType.OutOfScope)
            return (Criticality.Low, false, 1, new Evidence(Rule, "R12", "inferred as Low: a question or recommendation, no harm to existing systems"));
        var prediction = models.Impact.Predict(models.Features(subject + "\n" + body));
        var level = Enum.Parse<Criticality>(prediction.Label);
        var why = level switch
        {
            Criticality.Critical => "the environment does not work, data lost or work impossible",
            Criticality.Urgent => "works but badly impaired",
            Criticality.Normal => "partial, non-critical loss of function",
            _ => "no damage to existing systems",
        };
        return (level, false, prediction.Probability, new Evidence(Rule, "R12", $"inferred as {level}: {why} (probability {prediction.Probability:0.00})", string.Join(", ", prediction.Drivers)));
    }
}

/// <summary>Options of criticality (section <c>Policy:Criticality</c>): phrases as in <see cref="PhraseList"/>.</summary>
public sealed class CriticalityOptions
{
    public const string Section = "Policy:Criticality";

    public List<string> DeclaredCritical { get; set; } =
        ["critical", "критично", "критичная заявк*", "критичность критичн*", "критичность критическ*", "критичность critical", "приоритет критическ*", "priority critical"];

    public List<string> DeclaredUrgent { get; set; } =
        ["urgent", "срочно", "срочная заявк*", "критичность срочн*", "критичность высок*", "критичность urgent", "приоритет высок*", "priority high", "очень срочно"];

    public List<string> DeclaredNormal { get; set; } =
        ["критичность обычн*", "критичность средн*", "критичность нормальн*", "критичность normal", "приоритет средн*", "priority normal", "priority medium"];

    public List<string> DeclaredLow { get; set; } =
        ["не срочно", "несрочн*", "критичность низк*", "критичность low", "приоритет низк*", "priority low"];

    /// <summary>Signs of the regulation's Critical: a whole site, server, VM, network or the company's mail does not work,
    /// data lost or at risk, work impossible.</summary>
    public List<string> InferredCritical { get; set; } =
    [
        "не отвеча*", "недоступ*", "не открыва*", "не загружа*", "не пинг*", "лежит", "упал*", "полностью", "ничего не работает", "вообще не работа*",
        "все сайты", "весь сайт", "всех страниц*", "любой страниц*", "любая страниц*", "вся почта", "все ящики", "всех ящик*", "потер* данн*", "данн* пропал*", "пропал* данн*",
        "удален*", "работа невозможна", "невозможно работать", "не можем работать", "работа встала", "стоит работа", "kernel panic", "down", "data loss",
        // The whole of something, said the way customers say it: a company, an office, a domain, every address.
        "всей компании", "всего офиса", "весь офис", "весь домен", "всего домена", "все адреса", "все письма", "ни одно письмо", "ни одного письма",
        "ни отправить", "сайт не работа*", "почта не работа*", "не запуска*", "не стартует", "не включа*", "не поднима*", "не грузится", "без сети", "нет сети",
        // A whole server, VM, hosting or network said not to work, and «всё легло».
        "сервер* не работа*", "vps не работа*", "впс не работа*", "виртуалк* не работа*", "хостинг* не работа*", "интернет не работа*", "сеть не работа*",
        "не работа* сервер*", "не работа* vps", "не работа* хостинг*", "легло", "легли", "лег",
        "unreachable", "no ping", "not booting", "does not boot", "doesn't come up", "does not come up", "outage",
    ];

    /// <summary>Signs of the regulation's Urgent: it works, but badly impaired — slow, losing packets, mail hours late.</summary>
    public List<string> InferredUrgent { get; set; } =
    [
        "медленн*", "тормоз*", "секунд", "потер* пакет*", "потери", "packet loss", "задерж*", "с опозданием", "час* спустя", "через несколько часов",
        "периодически", "время от времени", "то работает", "перезагружа*", "очень долго", "timeout",
    ];

    /// <summary>Signs of the regulation's Normal: partial loss with a workaround — one function, one mailbox, one page.</summary>
    public List<string> InferredNormal { get; set; } =
    [
        "иногда", "частично", "некоторые", "одна страниц*", "одной страниц*", "один ящик", "одного ящик*", "только", "остальные работают", "остальное работает",
        "в остальном", "обходн*", "через веб", "webmail", "sometimes",
    ];

}

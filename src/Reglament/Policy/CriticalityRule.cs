using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R12: criticality as the subscriber declared it ("[Critical]", "критично", "срочно", "Критичность: высокая"),
/// otherwise inferred from the regulation's definitions. Configuration changes and backup restores are Low whatever
/// was declared — the regulation lists them under Low — and so are questions and out-of-scope requests.</summary>
public sealed class CriticalityRule(IOptions<CriticalityOptions> options)
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

    public (Criticality Level, bool Declared, Evidence Evidence) Assess(RequestType type, string subject, string body)
    {
        if (type is RequestType.ConfigChange or RequestType.BackupRestore)
            return (Criticality.Low, false, new Evidence(Rule, "R12", $"{type}: configuration changes and backup restores are Low under the regulation"));
        if (type is RequestType.OutOfScope)
            return (Criticality.Low, false, new Evidence(Rule, "R12", "out of scope: Low"));

        foreach (var text in new[] { subject, body })
        {
            foreach (var (level, phrases) in declared)
            {
                if (phrases.FindFirst(text) is { } match)
                    return (level, true, new Evidence(Rule, "R12", $"declared by the subscriber as {level}", match.Text));
            }
        }

        if (type is RequestType.Question)
            return (Criticality.Low, false, new Evidence(Rule, "R12", "inferred as Low: a question or recommendation, no harm to existing systems"));
        var all = subject + "\n" + body;
        if (critical.FindFirst(all) is { } c)
            return (Criticality.Critical, false, new Evidence(Rule, "R12", "inferred as Critical: the environment does not work, data lost or work impossible", c.Text));
        if (urgent.FindFirst(all) is { } u)
            return (Criticality.Urgent, false, new Evidence(Rule, "R12", "inferred as Urgent: works but badly impaired", u.Text));
        if (normal.FindFirst(all) is { } n)
            return (Criticality.Normal, false, new Evidence(Rule, "R12", "inferred as Normal: partial, non-critical loss of function", n.Text));
        return (options.Value.DefaultIncident, false, new Evidence(Rule, "R12", $"inferred as {options.Value.DefaultIncident}: an incident without signs of a higher level"));
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

    /// <summary>The regulation's Critical: the virtual environment does not work, data is lost, work is impossible.</summary>
    public List<string> InferredCritical { get; set; } =
    [
        "потер* данн*", "данн* пропал*", "данн* потерян*", "данн* удален*", "пропал* данн*", "ничего не работает", "полностью не работа*",
        "полностью недоступ*", "все упало", "все лежит", "все сервисы", "сайт и почта не работают", "работа невозможна", "невозможно работать",
        "не можем работать", "стоит вся", "стоит работа", "kernel panic", "не загружается сервер", "сервер не загружается", "data loss",
        "completely down", "все сайты не работают", "взлом*",
    ];

    /// <summary>The regulation's Urgent: works, but badly impaired; may fail to do its job.</summary>
    public List<string> InferredUrgent { get; set; } =
    [
        "сильно тормоз*", "очень медленн*", "периодически недоступ*", "не работа*", "недоступ*", "упал*", "лежит", "не открыва*",
        "не приход*", "не уход*", "не отправля*", "не доход*", "перезагружается",
        "не отвеча*", "502", "503", "504", "down",
    ];

    /// <summary>The regulation's Normal: partial, non-critical loss of function that can be worked around.</summary>
    public List<string> InferredNormal { get; set; } = ["иногда", "частично", "некоторые", "одна страниц*", "одной страниц*", "sometimes"];

    /// <summary>An incident with no sign of a level.</summary>
    public Criticality DefaultIncident { get; set; } = Criticality.Normal;
}

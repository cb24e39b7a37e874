using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R3 and R5: the kinds of work the regulation names — a configuration change only the operator can make, a
/// problem with a contracted service, a restore from backup — questions, and consulting support does not do. A
/// learned classifier (<see cref="JudgementModels"/>) decides, with the phrases below as signals it weighs; the
/// evidence names the words that drove it and its probability.</summary>
public sealed class RequestTypeRule(IOptions<RequestTypeOptions> options)
{
    public const string Rule = "RequestType";
    private readonly PhraseList backup = new(options.Value.Backup);
    private readonly PhraseList restore = new(options.Value.Restore);
    private readonly PhraseList config = new(options.Value.Config);
    private readonly PhraseList change = new(options.Value.Change);
    private readonly PhraseList problem = new(options.Value.Problem);

    /// <summary>Signals of the exact phrases, as features for the learned classifier.</summary>
    public IEnumerable<string> Signals(string text)
    {
        if (backup.FindFirst(text) is not null && restore.FindFirst(text) is not null)
            yield return "⟨restore⟩";
        if (config.FindFirst(text) is not null && change.FindFirst(text) is not null)
            yield return "⟨config-change⟩";
        if (problem.FindFirst(text) is not null)
            yield return "⟨problem⟩";
    }

    /// <summary>The confidence of a consulting refusal (R5 → R11b) whose classifier probability is
    /// <paramref name="probability"/>: the measured out-of-fold precision (<see cref="RequestTypeOptions.ConsultingPrecision"/>),
    /// never less than the probability itself.</summary>
    public double CalibratedConsulting(double probability) => Math.Max(probability, options.Value.ConsultingPrecision);

    public (RequestType Type, double Confidence, Evidence Evidence) Classify(JudgementModels models, string text)
    {
        var features = models.Features(text);
        var prediction = models.Type.Predict(features);
        var type = Enum.Parse<RequestType>(prediction.Label);
        // Where the classifier hesitates, the exact phrases of the regulation's kinds of work decide: a terse
        // "увеличьте memory_limit" is a config change whatever else the subject says.
        if (prediction.Probability < options.Value.ExactSignalsBelow)
        {
            var exact = features.Contains("⟨restore⟩") ? RequestType.BackupRestore : features.Contains("⟨config-change⟩") ? RequestType.ConfigChange
                : features.Contains("⟨consulting⟩") ? RequestType.OutOfScope : (RequestType?)null;
            if (exact is { } signalled && signalled != type)
                return (signalled, prediction.Probabilities.GetValueOrDefault(signalled.ToString()), new Evidence(Rule, "R3",
                    $"classified as {signalled} by the exact phrases (the classifier hesitated: {type} {prediction.Probability:0.00})", string.Join(", ", prediction.Drivers)));
        }
        return (type, prediction.Probability, new Evidence(Rule, type == RequestType.OutOfScope ? "R5" : "R3",
            $"classified as {type} (probability {prediction.Probability:0.00})", string.Join(", ", prediction.Drivers)));
    }
}

/// <summary>Options of request-type classification (section <c>Policy:RequestType</c>): phrases as in <see cref="PhraseList"/>.</summary>
public sealed class RequestTypeOptions
{
    public const string Section = "Policy:RequestType";

    /// <summary>The precision of the classifier's OutOfScope (consulting) answers on development requests it was not
    /// trained on: 40 of 40 right in 5-fold cross-validation (<c>reglament eval policy corpora/policy/dev --folds 5</c>,
    /// the "R5→R11b" row), of which 0.91 is the 95 % Wilson lower bound. The classifier's raw probabilities
    /// (0.35–0.9 there) understate it: the softmax spreads over five classes.</summary>
    public double ConsultingPrecision { get; set; } = 0.91;

    /// <summary>Below this probability of the classifier, the exact phrases of a restore or a config change decide.</summary>
    public double ExactSignalsBelow { get; set; } = 0.45;

    public List<string> Backup { get; set; } = ["бэкап*", "бекап*", "backup*", "резервн* копи*", "из резерв*", "резервн*"];

    public List<string> Restore { get; set; } = ["восстанов*", "верн*", "откат*", "restore"];

    public List<string> Config { get; set; } =
    [
        "php.ini", "htaccess", "nginx.conf", "httpd.conf", "my.cnf", "конфиг*", "конфигурац*", "параметр* php", "параметр* сервер*",
        "параметр* mysql", "лимит*", "memory_limit", "upload_max_filesize", "max_execution_time", "post_max_size",
        "верси* php", "php верси*", "mod_rewrite", "модул* apache", "модул* php", "cron", "крон*",
    ];

    public List<string> Change { get; set; } =
    [
        "измен*", "помен*", "увелич*", "уменьш*", "установ*", "добав*", "включ*", "отключ*", "выстав*", "смен*", "переключ*", "подключ*",
        "change", "increase", "set", "enable", "disable",
    ];

    public List<string> Problem { get; set; } =
    [
        "не работа*", "не открыва*", "не отвеча*", "не загружа*", "не грузит*", "не приход*", "не уход*", "не отправля*", "не доход*",
        "не пуска*", "не могу", "не може*", "не получа*", "недоступ*", "ошибк*", "упал*", "лежит", "сбо*", "пропал*", "тормоз*", "медленн*",
        "500", "502", "503", "504", "error", "down", "timeout", "not working", "kernel panic", "перестал*", "сломал*", "взлом*", "перезагружается",
    ];
}

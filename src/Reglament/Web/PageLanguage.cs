using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;
using NodaTime;
using Reglament.Sla;

namespace Reglament.Web;

/// <summary>The language the pages speak to this visitor: Russian, unless the header's switch chose English (a cookie).
/// Labels are written once in the pages as <c>@L["Русский", "English"]</c>; domain values go through
/// <see cref="DomainText"/> (<c>@L.Of(t.Status)</c>); times through <see cref="Time"/>. One language per page: a
/// doubled «Очередь / Queue» reads as a scaffold to both.</summary>
public sealed class PageLanguage(IHttpContextAccessor http, SupportTime time)
{
    public const string Cookie = "reglament.lang";

    /// <summary>English only when the visitor chose it; any other cookie value (the retired «both») is Russian.</summary>
    public bool IsEnglish => http.HttpContext?.Request.Cookies[Cookie] == "en";

    /// <summary><c>ru</c> or <c>en</c>, for <c>&lt;html lang&gt;</c> and the switch.</summary>
    public string Current => IsEnglish ? "en" : "ru";

    public CultureInfo Culture => IsEnglish ? Mail.ReplyTexts.English : Mail.ReplyTexts.Russian;

    public string this[string russian, string english] => IsEnglish ? english : russian;

    /// <summary>A pair as the label helpers give it (<c>Display.Countdown</c>, <c>SlaTexts</c>).</summary>
    public string this[(string Russian, string English) text] => this[text.Russian, text.English];

    private static readonly System.Resources.ResourceManager Labels = new("Reglament.Web.DeskText", typeof(PageLanguage).Assembly);

    /// <summary>A label from the console's resources (<c>DeskText.resx</c>, <c>DeskText.en.resx</c>); a missing one shows
    /// its key, which the leak test finds.</summary>
    public string Text(string key) => Labels.GetString(key, Culture) ?? key;

    /// <summary>A label with values in it («найдено заявок: {0}»).</summary>
    public string Text(string key, params object?[] args) => string.Format(Culture, Text(key), args);

    /// <summary>What an audit event records, in words («критичность изменена») from <c>Audit_</c> keys of the console's
    /// resources; an action without words (a new one) shows its stored code, which reads as a code, not as a label.</summary>
    public string Action(string code) => Labels.GetString("Audit_" + code, Culture) ?? code;

    /// <summary>A domain value in words («ожидает абонента»).</summary>
    public string Of<TEnum>(TEnum value) where TEnum : struct, Enum => DomainText.Get(value, Culture);

    /// <summary>A domain value as the portal tells a subscriber («Ждёт вашего ответа»).</summary>
    public string ForSubscriber<TEnum>(TEnum value) where TEnum : struct, Enum => DomainText.ForSubscriber(value, Culture);

    /// <summary>An evidence rule's name.</summary>
    public string Rule(string rule) => DomainText.Rule(rule, Culture);

    /// <summary>The options of a select over an enum: the member's name as the value (what the handlers bind and
    /// the tests select), its words as the text.</summary>
    public IEnumerable<SelectListItem> Options<TEnum>(TEnum? selected = null) where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => new SelectListItem(Of(v), v.ToString(), selected is { } s && s.Equals(v)));

    /// <summary>«23.04.2024 14:00 (МСК, UTC+03)» — «(MSK, UTC+03)» in English; a dash for no time.</summary>
    public string Time(Instant? instant) => time.ShowIn(instant, Culture);

    /// <summary>A date in the page's language: «вт 23.04.2024» with <c>"ddd dd.MM.yyyy"</c>.</summary>
    public string Date(LocalDate date, string pattern) => date.ToString(pattern, Culture);
}

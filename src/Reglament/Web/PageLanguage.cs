using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Reglament.Web;

/// <summary>The language the pages speak to this visitor: Russian first with English beside it (the default, so a
/// Russian engineer and an English-speaking one read the same screen), Russian only, or English only — a cookie the
/// switch in the header sets. Labels are written once in the pages as <c>@L["Русский", "English"]</c>.</summary>
public sealed class PageLanguage(IHttpContextAccessor http)
{
    // Russian stays readable in the HTML, as everywhere in the pages (WebApp configures the same for Razor).
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public const string Cookie = "reglament.lang";

    /// <summary><c>ru</c>, <c>en</c>, or empty for both.</summary>
    public string Current => http.HttpContext?.Request.Cookies[Cookie] switch
    {
        "ru" => "ru",
        "en" => "en",
        _ => "",
    };

    public string this[string russian, string english] => Current switch
    {
        _ when russian == english => russian,
        "ru" => russian,
        "en" => english,
        _ => $"{russian} / {english}",
    };

    /// <summary>A pair as the label helpers give it (<c>AdminText</c>, <c>PortalLabels</c>, <c>Display.SlaText</c>).</summary>
    public string this[(string Russian, string English) text] => this[text.Russian, text.English];

    /// <summary>A label too short to carry both (a weekday in a month grid): English only when English is chosen.</summary>
    public string Compact(string russian, string english) => Current == "en" ? english : russian;

    /// <summary>A heading: the English half muted when both are shown.</summary>
    public IHtmlContent Heading(string russian, string english) => Current switch
    {
        "ru" => new HtmlString(Encoder.Encode(russian)),
        "en" => new HtmlString(Encoder.Encode(english)),
        _ => new HtmlString($"{Encoder.Encode(russian)} <span class=\"muted\">/ {Encoder.Encode(english)}</span>"),
    };
}

using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Reglament.Sla;

namespace Reglament.Web;

/// <summary>The report's plots as SVG written on the server: readable without JavaScript and under the desk's CSP
/// (presentation attributes only — a <c>style</c> attribute would be refused), each with a title and text labels so
/// that the figures are in the markup, not only in the picture.</summary>
public static class ReportCharts
{
    private const int Height = 180;
    private const int Top = 20;
    private const int Left = 40;
    private const int Bottom = 40;

    private static readonly string[] Colours = ["#b3261e", "#e8710a", "#1a73e8", "#188038"];

    /// <summary>Share met (0–100 %) per month and criticality: one group of bars per month, one bar per criticality,
    /// each criticality named in the page's language (<paramref name="name"/>).</summary>
    public static IHtmlContent Shares(IReadOnlyList<SlaShare> byMonth, string title, Func<Tickets.Criticality, string> name)
    {
        var months = byMonth.Select(s => s.Month ?? "").Distinct().ToList();
        var criticalities = Enum.GetNames<Tickets.Criticality>();
        var names = Enum.GetValues<Tickets.Criticality>().Select(c => Encode(name(c))).ToArray();
        const int bar = 16;
        var group = (bar * criticalities.Length) + 24;
        var width = Left + Math.Max(1, months.Count) * group + 130;
        var svg = Open("report-shares", width, title);
        Axis(svg, width - 130, "100 %", "50 %");
        for (var m = 0; m < months.Count; m++)
        {
            var x0 = Left + (m * group) + 12;
            for (var c = 0; c < criticalities.Length; c++)
            {
                var share = byMonth.FirstOrDefault(s => s.Month == months[m] && s.Key == criticalities[c])?.Share;
                if (share is not { } value)
                    continue;
                var h = value * (Height - Top);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0 + (c * bar)}\" y=\"{Height - h:0.#}\" width=\"{bar - 2}\" height=\"{h:0.#}\" fill=\"{Colours[c]}\"><title>{Encode(months[m])} {names[c]}: {value * 100:0.#} %</title></rect>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0}\" y=\"{Height + 16}\" font-size=\"11\">{Encode(months[m])}</text>");
        }
        for (var c = 0; c < criticalities.Length; c++)
        {
            var y = Top + (c * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{width - 120}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{Colours[c]}\"/><text x=\"{width - 104}\" y=\"{y + 9}\" font-size=\"11\">{names[c]}</text>");
        }
        return Close(svg);
    }

    /// <summary>Requests received per hour of the working day (the support's zone).</summary>
    public static IHtmlContent Load(IReadOnlyList<SlaHourLoad> hours, string title)
    {
        var shown = hours.Where(h => h.Working).ToList();
        const int bar = 28;
        var width = Left + (Math.Max(1, shown.Count) * bar) + 20;
        var max = Math.Max(1, shown.Count == 0 ? 1 : shown.Max(h => h.Received));
        var svg = Open("report-load", width, title);
        Axis(svg, width - 20, max.ToString(CultureInfo.InvariantCulture), null);
        for (var i = 0; i < shown.Count; i++)
        {
            var h = (double)shown[i].Received / max * (Height - Top);
            var x = Left + (i * bar) + 4;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Height - h:0.#}\" width=\"{bar - 6}\" height=\"{h:0.#}\" fill=\"#1a73e8\"><title>{shown[i].Hour:00}:00: {shown[i].Received}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Height + 16}\" font-size=\"11\">{shown[i].Hour:00}</text>");
        }
        return Close(svg);
    }

    private static StringBuilder Open(string id, int width, string title) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" role=\"img\" width=\"{width}\" height=\"{Height + Bottom}\" viewBox=\"0 0 {width} {Height + Bottom}\" aria-label=\"{Encode(title)}\"><title>{Encode(title)}</title>");

    private static void Axis(StringBuilder svg, int right, string topLabel, string? midLabel)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height}\" x2=\"{right}\" y2=\"{Height}\" stroke=\"#555\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{right}\" y2=\"{Top}\" stroke=\"#ddd\"/><text x=\"2\" y=\"{Top + 4}\" font-size=\"10\">{Encode(topLabel)}</text>");
        if (midLabel is not null)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{(Top + Height) / 2}\" x2=\"{right}\" y2=\"{(Top + Height) / 2}\" stroke=\"#eee\"/><text x=\"2\" y=\"{((Top + Height) / 2) + 4}\" font-size=\"10\">{Encode(midLabel)}</text>");
    }

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

using NodaTime;
using Reglament.Mail;

namespace Reglament.Web.Pages;

/// <summary>How the pages show times: Moscow time with its zone, as the regulation counts it.</summary>
public static class Display
{
    public static string Moscow(Instant? instant) => instant is { } i ? ReplyTexts.MoscowDeadline(i) : "—";
}

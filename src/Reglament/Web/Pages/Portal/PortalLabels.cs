using Reglament.Tickets;

namespace Reglament.Web.Pages.Portal;

/// <summary>What a subscriber reads for the desk's states: Russian and English, shown through the pages' language (<see cref="PageLanguage"/>).</summary>
public static class PortalLabels
{
    public static (string Russian, string English) Status(TicketStatus status) => status switch
    {
        TicketStatus.New => ("Принята", "Received"),
        TicketStatus.Open => ("В работе", "In progress"),
        TicketStatus.AwaitingSubscriber => ("Ждёт вашего ответа", "Awaiting your reply"),
        TicketStatus.Resolved => ("Решена", "Resolved"),
        TicketStatus.Closed => ("Закрыта", "Closed"),
        TicketStatus.Refused => ("Отказано", "Refused"),
        _ => (status.ToString(), status.ToString()),
    };

    public static (string Russian, string English) Criticality(Criticality criticality) => criticality switch
    {
        Tickets.Criticality.Critical => ("Критичная", "Critical"),
        Tickets.Criticality.Urgent => ("Срочная", "Urgent"),
        Tickets.Criticality.Normal => ("Обычная", "Normal"),
        Tickets.Criticality.Low => ("Низкая", "Low"),
        _ => (criticality.ToString(), criticality.ToString()),
    };

    public static (string Russian, string English) Outcome(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Accepted => ("Заявка принята", "Request accepted"),
        DecisionOutcome.Refused => ("В исполнении отказано", "Request refused"),
        DecisionOutcome.AnsweredFromKnowledgeBase => ("Ответ из базы знаний", "Answered from the knowledge base"),
        DecisionOutcome.NeedsMoreInformation => ("Нужны дополнительные сведения", "More information needed"),
        _ => (outcome.ToString(), outcome.ToString()),
    };
}

using Reglament.Tickets;

namespace Reglament.Web.Pages.Portal;

/// <summary>What a subscriber reads for the desk's states: Russian first, then English.</summary>
public static class PortalLabels
{
    public static string Status(TicketStatus status) => status switch
    {
        TicketStatus.New => "Принята / Received",
        TicketStatus.Open => "В работе / In progress",
        TicketStatus.AwaitingSubscriber => "Ждёт вашего ответа / Awaiting your reply",
        TicketStatus.Resolved => "Решена / Resolved",
        TicketStatus.Closed => "Закрыта / Closed",
        TicketStatus.Refused => "Отказано / Refused",
        _ => status.ToString(),
    };

    public static string Criticality(Criticality criticality) => criticality switch
    {
        Tickets.Criticality.Critical => "Критичная / Critical",
        Tickets.Criticality.Urgent => "Срочная / Urgent",
        Tickets.Criticality.Normal => "Обычная / Normal",
        Tickets.Criticality.Low => "Низкая / Low",
        _ => criticality.ToString(),
    };

    public static string Outcome(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Accepted => "Заявка принята / Request accepted",
        DecisionOutcome.Refused => "В исполнении отказано / Request refused",
        DecisionOutcome.AnsweredFromKnowledgeBase => "Ответ из базы знаний / Answered from the knowledge base",
        DecisionOutcome.NeedsMoreInformation => "Нужны дополнительные сведения / More information needed",
        _ => outcome.ToString(),
    };
}

using Microsoft.Extensions.Options;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Tests.Policy;

/// <summary>R12's declared level (judgement: «[Critical]», «срочно», «[Normal]», «не срочно» are declarations; incidental
/// words are not).</summary>
public sealed class CriticalityRuleTests
{
    private static readonly CriticalityRule Rule = new(Options.Create(new CriticalityOptions()));

    [Theory]
    [InlineData("[Normal] сайт упал после смены PHP", "", Criticality.Normal)]
    [InlineData("Сайт", "Ставлю [ normal ], не горит.", Criticality.Normal)]
    [InlineData("[LOW] вопрос по бэкапам", "", Criticality.Low)]
    [InlineData("[Critical] всё лежит", "", Criticality.Critical)]
    [InlineData("[Urgent] медленно", "", Criticality.Urgent)]
    [InlineData("Почта", "Не срочно, но посмотрите.", Criticality.Low)]
    public void A_declared_level_is_read(string subject, string body, Criticality expected) =>
        Assert.Equal(expected, Rule.Declared(subject, body)?.Level);

    [Theory]
    [InlineData("Сайт отдаёт 502", "В логе: worker state normal, критичных ошибок в журналах нет.")]
    [InlineData("[RG-000042] ответ", "Спасибо")]
    public void Incidental_words_are_not_a_declaration(string subject, string body) =>
        Assert.Null(Rule.Declared(subject, body));
}

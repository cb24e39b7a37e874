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
    [InlineData("Перезагрузки", "В SEL:\n 3c1 | 03/17/2026 | 21:29:58 | Upper Critical going high\nСрочно посмотрите!", Criticality.Urgent)]
    [InlineData("Сайт", "Упал в 10:15:30, критично!", Criticality.Critical)]
    [InlineData("почта", "почта не принимает с 8 утра. ничего не менял. срочно.", Criticality.Urgent)]
    public void A_declared_level_is_read(string subject, string body, Criticality expected) =>
        Assert.Equal(expected, Rule.Declared(subject, body)?.Level);

    [Theory]
    [InlineData("Сайт отдаёт 502", "В логе: worker state normal, критичных ошибок в журналах нет.")]
    [InlineData("[RG-000042] ответ", "Спасибо")]
    [InlineData("Сервер сам перезагружается", "В SEL:\n 3c1 | 03/17/2026 | 21:29:58 | Temperature #0x30 | Upper Critical going high\nПосмотрите, пожалуйста.")]
    [InlineData("Алерт", "2026-03-17 21:29:58 node-7 kernel: critical temperature reached\nЧто это?")]
    public void Incidental_words_are_not_a_declaration(string subject, string body) =>
        Assert.Null(Rule.Declared(subject, body));
}

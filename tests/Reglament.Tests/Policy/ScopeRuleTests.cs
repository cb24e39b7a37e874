using Microsoft.Extensions.Options;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

/// <summary>R5's topics: making a program for the subscriber is consulting whatever the verb; the operator's own work
/// with the same verbs is not.</summary>
public sealed class ScopeRuleTests
{
    private static readonly ScopeRule Rule = new(Options.Create(new ScopeOptions()));

    [Theory]
    [InlineData("Просим оказать содействие в разработке скрипта на Python для выгрузки записей базы.")]
    [InlineData("Сделайте калькулятор стоимости на сайте, пожалуйста.")]
    [InlineData("Нужно написать бота для телеграма, который будет принимать заказы.")]
    [InlineData("Доработайте скрипт импорта товаров.")]
    [InlineData("Помогите поставить на сайт корзину, какой плагин лучше и как его настроить?")]
    [InlineData("Посоветуйте плагин для кеширования WordPress.")]
    public void Making_a_program_is_out_of_scope(string text) => Assert.True(Rule.CheckTopic(text).Triggered);

    [Theory]
    [InlineData("Сделайте, пожалуйста, бэкап сайта перед переносом.")]
    [InlineData("Скрипт резервного копирования панели перестал запускаться по расписанию, ошибка 500.")]
    public void The_operators_own_work_is_not(string text) => Assert.False(Rule.CheckTopic(text).Triggered);
}

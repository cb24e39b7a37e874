using Microsoft.Extensions.Options;
using Reglament.Policy;
using Reglament.Subscribers;

namespace Reglament.Tests.Policy;

/// <summary>A subscriber's own login and name are its identity, never an insult: found on a blind corpus, where the
/// login "kozlov" read as a transliterated «козлов» refused eleven valid requests.</summary>
public sealed class RudenessOwnNamesTests
{
    private static readonly RudenessRule Rule = new(Options.Create(new RudenessOptions()));

    private static readonly Subscriber Kozlov = new()
    {
        Login = "kozlov", ClientId = "507867", Name = "Козлов Дмитрий Сергеевич", RegistrationEmail = "d.kozlov@example.com",
    };

    [Theory]
    [InlineData("kozlov, С 9:00 VPS не отвечает.")]
    [InlineData("Kozlov D.S., ID 507867")]
    [InlineData("Козлов обещал перезвонить, но сервер так и лежит.")]
    public void The_subscribers_own_login_and_name_are_not_rude(string text)
    {
        Assert.True(Rule.Check(text).Triggered, "without the subscriber the detector reads the name as an insult — the premise of this test");
        Assert.False(Rule.Check(text, Kozlov).Triggered);
    }

    [Fact]
    public void Rudeness_beside_the_own_name_is_still_found()
    {
        var verdict = Rule.Check("Логин kozlov. Вы козлы, сервер опять лежит!", Kozlov);
        Assert.True(verdict.Triggered);
        Assert.Contains(verdict.Evidence, e => e.Fragment == "козлы");
    }
}

using Microsoft.Extensions.Options;
using Reglament.Policy;

namespace Reglament.Tests.Policy;

/// <summary>False alarms on real text: the 64 knowledge-base articles (Russian prose, Markdown, commands, configs,
/// URLs) must raise nothing.</summary>
public sealed class RudenessOnRealTextTests
{
    [Fact]
    public void KnowledgeBaseArticles_AreClean()
    {
        var rule = new RudenessRule(Options.Create(new RudenessOptions()));
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"), "*.md");
        Assert.True(files.Length >= 60);
        var alarms = files.SelectMany(f => rule.Check(File.ReadAllText(f)).Evidence.Select(e => $"{Path.GetFileName(f)}: «{e.Fragment}» {e.Finding}")).ToList();
        Assert.True(alarms.Count == 0, string.Join("\n", alarms));
    }

    [Fact]
    public void QuotedLines_AreNotTheSendersWords()
    {
        var rule = new RudenessRule(Options.Create(new RudenessOptions()));
        Assert.False(rule.Check("Спасибо, работает.\n> Вася писал: это пиздец, а не сервер\n").Triggered);
        Assert.True(rule.Check("Спасибо, работает.\nэто пиздец, а не сервер\n").Triggered);
    }

    [Fact]
    public void TransliteratedObscenity_IsFound_WithTheSubscribersNamesBlanked()
    {
        var rule = new RudenessRule(Options.Create(new RudenessOptions()));
        var subscriber = new Reglament.Subscribers.Subscriber
        {
            Login = "smirnova_e", ClientId = "815117", Name = "Смирнова Екатерина Викторовна", RegistrationEmail = "katya.smirnova@example.net",
        };
        var text = "zdravstvuyte, login smirnova_e\npizdets, sait katya-photo.example.net opyat lezhit s utra, 504 Gateway Timeout na vseh stranitsah, ya nichego ne menyala";
        Assert.True(rule.Check(text).Triggered);
        Assert.True(rule.Check(text, subscriber).Triggered);
    }
}

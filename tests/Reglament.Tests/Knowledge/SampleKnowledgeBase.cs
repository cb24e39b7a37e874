using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Reglament.Knowledge;
using Reglament.Tests.Infrastructure;

namespace Reglament.Tests.Knowledge;

/// <summary>The sample knowledge base (64 articles) indexed once for the tests that only read it.</summary>
public sealed class SampleKnowledgeBase
{
    public SampleKnowledgeBase()
    {
        var read = KnowledgeBaseFiles.Read(Path.Combine(AppContext.BaseDirectory, "DemoData", "kb"));
        Assert.Empty(read.Errors);
        Articles = read.Articles;
        Index = new KnowledgeIndex();
        Index.Rebuild(Articles);
    }

    public IReadOnlyList<KnowledgeArticle> Articles { get; }

    public KnowledgeIndex Index { get; }

    /// <summary>A committed corpus (corpora/kb/<paramref name="set"/>) scored exactly as <c>reglament eval kb</c> scores it;
    /// <paramref name="feedback"/>: first learn from that corpus's simulated feedback, as <c>eval kb --feedback</c> does.</summary>
    public async Task<(IReadOnlyList<LabelledQuestion> Questions, KnowledgeScore Score)> ScoreAsync(string set, CancellationToken cancellationToken, string? feedback = null)
    {
        var questions = KnowledgeCorpus.Read(Path.Combine(AppContext.BaseDirectory, "Corpora", "kb", set));
        await using var services = new ServiceCollection().AddLogging()
            .AddReglament(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build(), new FakeClock(TestDesk.Tuesday10Msk))
            .BuildServiceProvider();
        IReadOnlyList<ArticlePhrasing> phrasings = feedback is null ? [] : SimulatedFeedback.From(
            await KnowledgeEvaluation.RunAsync(services, Articles, KnowledgeCorpus.Read(Path.Combine(AppContext.BaseDirectory, "Corpora", "kb", feedback)), cancellationToken));
        return (questions, await KnowledgeEvaluation.RunAsync(services, Articles, questions, phrasings, cancellationToken));
    }
}

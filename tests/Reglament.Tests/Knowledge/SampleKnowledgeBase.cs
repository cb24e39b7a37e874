using Reglament.Knowledge;

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
}

using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reglament.Data;

namespace Reglament.Knowledge;

/// <summary>The knowledge base as the desk keeps it: articles in the database with their history, and the
/// search index kept in step with them.</summary>
public sealed class KnowledgeBase(ReglamentDb db, KnowledgeIndex index, IClock clock)
{
    /// <summary>Adds or replaces articles; an article whose content changed gets a new revision. Returns how many changed.</summary>
    public async Task<int> SaveAsync(IEnumerable<KnowledgeArticle> articles, string by, CancellationToken cancellationToken = default)
    {
        var changed = new List<KnowledgeArticle>();
        var now = clock.GetCurrentInstant();
        foreach (var article in articles)
        {
            var existing = await db.KnowledgeArticles.FirstOrDefaultAsync(a => a.Id == article.Id, cancellationToken);
            if (existing is not null && SameContent(existing, article))
                continue;
            if (existing is null)
            {
                db.KnowledgeArticles.Add(article);
                existing = article;
            }
            else
            {
                existing.Title = article.Title;
                existing.Category = article.Category;
                existing.Tags = article.Tags;
                existing.Questions = article.Questions;
                existing.Updated = article.Updated;
                existing.Markdown = article.Markdown;
            }
            var number = await db.ArticleRevisions.Where(r => r.ArticleId == article.Id).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0;
            db.ArticleRevisions.Add(new ArticleRevision
            {
                ArticleId = existing.Id, Number = number + 1, Title = existing.Title, Category = existing.Category,
                Tags = [.. existing.Tags], Questions = [.. existing.Questions], Updated = existing.Updated, Markdown = existing.Markdown, At = now, By = by,
            });
            changed.Add(existing);
        }
        // The other nodes rebuild their index when they see the knowledge base's version move (Coordination/SharedVersions).
        await using (var transaction = changed.Count > 0 && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            await db.SaveChangesAsync(cancellationToken);
            if (changed.Count > 0)
                await Coordination.SharedVersions.BumpAsync(db, Coordination.SharedVersion.Knowledge, cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        // One reopening of the index for the whole batch: per article, an import of thousands was quadratic.
        index.Upsert(changed);
        return changed.Count;
    }

    /// <summary>Loads every article and phrasing into the search index (at start).</summary>
    public async Task RebuildIndexAsync(CancellationToken cancellationToken = default)
    {
        var version = await PhrasingVersionAsync(cancellationToken);
        index.Rebuild(await db.KnowledgeArticles.AsNoTracking().ToListAsync(cancellationToken),
            await db.ArticlePhrasings.AsNoTracking().ToListAsync(cancellationToken), version);
    }

    /// <summary>Loads the index unless it is loaded: the knowledge base is read by a short command only when it asks.
    /// Phrasings are learned by any process (an <c>ingest</c> per message, another node) and removed on the article
    /// page, so a loaded index reloads them when the table changed (its count and last id, one indexed query).</summary>
    public async Task<KnowledgeIndex> EnsureIndexAsync(CancellationToken cancellationToken = default)
    {
        if (!index.IsLoaded)
            await RebuildIndexAsync(cancellationToken);
        else if (index.PhrasingVersion is not null && await PhrasingVersionAsync(cancellationToken) is var version && version != index.PhrasingVersion)
            index.SetPhrasings(await db.ArticlePhrasings.AsNoTracking().ToListAsync(cancellationToken), version);
        return index;
    }

    private async Task<string> PhrasingVersionAsync(CancellationToken cancellationToken)
    {
        var count = await db.ArticlePhrasings.CountAsync(cancellationToken);
        var last = count == 0 ? 0 : await db.ArticlePhrasings.MaxAsync(p => p.Id, cancellationToken);
        return $"{count}:{last}";
    }

    private static bool SameContent(KnowledgeArticle a, KnowledgeArticle b) =>
        a.Title == b.Title && a.Category == b.Category && a.Updated == b.Updated && a.Markdown == b.Markdown && a.Tags.SequenceEqual(b.Tags) && a.Questions.SequenceEqual(b.Questions);
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reglament.Knowledge;

namespace Reglament.Web.Pages.Kb;

public sealed class KbSearchModel(KnowledgeIndex index) : PageModel
{
    public string Query { get; private set; } = "";

    public IReadOnlyList<ArticleMatch> Results { get; private set; } = [];

    public void OnGet([FromQuery(Name = "q")] string? q)
    {
        Query = (q ?? "").Trim();
        // A search box is not a bulk API: long inputs are cut rather than refused.
        if (Query.Length > 500)
            Query = Query[..500];
        Results = Query.Length == 0 ? [] : index.Search(Query, 10);
    }
}

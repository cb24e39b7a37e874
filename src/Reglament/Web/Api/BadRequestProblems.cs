using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Reglament.Web.Api;

/// <summary>A request the API could not even bind — JSON that does not parse, a value of the wrong type, an unknown
/// enum name, a query parameter that is not a number — answered as a validation problem that names the field, like
/// the endpoints' own checks. Without this, minimal APIs answer such a request with a bare 400 (or, with
/// <c>ThrowOnBadRequest</c>, a 500), and the caller has to guess what was wrong.</summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        httpContext.Response.StatusCode = bad.StatusCode;
        ProblemDetails problem = Field(bad) is { } field
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [Describe(bad)] })
            {
                Status = bad.StatusCode,
                Detail = "The request could not be read; nothing was changed.",
            }
            : new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read", Detail = bad.Message };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The field as the caller wrote it: the JSON path without <c>$.</c> (<c>criticality</c>,
    /// <c>attachments[0].content</c>), <c>body</c> for the document as a whole, or the query/route parameter's name.</summary>
    internal static string? Field(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
            return json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        return ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value : null;
    }

    // The framework's message names the type too (System.Text.Json: "The JSON value could not be converted to
    // System.Nullable`1[Reglament.Tickets.Criticality]"): the field is what the caller needs, the message says why.
    private static string Describe(BadHttpRequestException bad) => bad.InnerException is JsonException json
        ? json.Path is null or "$" ? "The body is not valid JSON." : "The value is not valid for this field."
        : bad.Message;

    // Minimal APIs say: Failed to bind parameter "int page" from "abc".
    [GeneratedRegex("""parameter "[^"]*?(?<name>\w+)" from""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}

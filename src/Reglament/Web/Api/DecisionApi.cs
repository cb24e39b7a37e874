using Microsoft.AspNetCore.Http.HttpResults;
using Reglament.Policy;
using Reglament.Tickets;

namespace Reglament.Web.Api;

/// <summary>An engineer's override of the rules' decision: <c>{outcome, reasons?, engineer, comment}</c>.</summary>
/// <param name="Outcome"><c>accepted</c>, <c>refused</c> or <c>needs-info</c>.</param>
/// <param name="Reasons">For a refusal: clauses, e.g. <c>["R11b"]</c>.</param>
/// <param name="Engineer">Who overrides (recorded in the audit trail; the API key does not name a person yet).</param>
/// <param name="Comment">Why: required.</param>
public sealed record OverrideRequest(string? Outcome, IReadOnlyList<string>? Reasons, string? Engineer, string? Comment);

public sealed record OverrideResponse(string Ticket, DecisionView Decision);

/// <summary><c>POST /api/tickets/{number}/decision</c>: override the rules' decision with a comment (R5, R11), audited.</summary>
public static class DecisionApi
{
    public static IEndpointRouteBuilder MapDecisionApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").RequireAuthorization("Api").WithTags("Tickets")
            .MapPost("/tickets/{number}/decision", OverrideAsync).WithName("OverrideDecision")
            .WithSummary("Override the rules' decision with a comment; the rules' decision stays, the override is audited.");
        return app;
    }

    internal static async Task<Results<Ok<OverrideResponse>, ValidationProblem, ProblemHttpResult>> OverrideAsync(
        string number, OverrideRequest request, DecisionOverrides overrides, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: $"'{number}' is not a ticket number like RG-000042.");
        var errors = new Dictionary<string, string[]>();
        DecisionOutcome? outcome = request.Outcome?.Trim().ToLowerInvariant() switch
        {
            "accepted" => DecisionOutcome.Accepted,
            "refused" => DecisionOutcome.Refused,
            "needs-info" => DecisionOutcome.NeedsMoreInformation,
            _ => null,
        };
        if (outcome is null)
            errors["outcome"] = ["One of: accepted, refused, needs-info."];
        var unknown = new List<string>();
        var reasons = DecisionOverrides.ParseReasons(request.Reasons ?? [], unknown);
        if (unknown.Count > 0)
            errors["reasons"] = [$"Unknown clauses: {string.Join(", ", unknown)}; use R5, R11a, R11b, R11c, R11d."];
        if (string.IsNullOrWhiteSpace(request.Comment))
            errors["comment"] = ["An override needs a comment."];
        if (string.IsNullOrWhiteSpace(request.Engineer))
            errors["engineer"] = ["An override needs the engineer's name."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: "Nothing was changed.");

        var result = await overrides.OverrideAsync(parsed.Value, outcome!.Value, reasons, request.Engineer!.Trim(), request.Comment!.Trim(), cancellationToken);
        if (result.NotFound)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: result.Problem);
        if (result.Decision is not { } decision)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["outcome"] = [result.Problem!] }, detail: "Nothing was changed.");
        return TypedResults.Ok(new OverrideResponse(parsed.Value.ToString(), new DecisionView(decision.Outcome,
            decision.Reasons == RefusalReasons.None ? [] : decision.Reasons.ToClauses().Split(", "), decision.Evidence, decision.DecidedAt, decision.DecidedBy, decision.Comment)));
    }
}

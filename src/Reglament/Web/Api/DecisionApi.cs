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

/// <summary>An engineer's review of a refusal the rules proposed (the review band): <c>{action, engineer, comment?}</c>.</summary>
/// <param name="Action"><c>confirm</c> (the ticket is refused and the refusal mailed) or <c>dismiss</c> (it stays accepted).</param>
/// <param name="Engineer">Who reviews (recorded in the audit trail; the API key does not name a person yet).</param>
/// <param name="Comment">Why, optionally.</param>
public sealed record ReviewRequest(string? Action, string? Engineer, string? Comment);

/// <summary>A done review: <c>Confirmed</c> or <c>Dismissed</c>, the ticket's status, and for a confirmation the
/// engineer's refusal decision.</summary>
public sealed record ReviewResponse(string Ticket, ReviewState Review, TicketStatus Status, DecisionView? Decision);

/// <summary><c>POST /api/tickets/{number}/decision</c>: override the rules' decision with a comment (R5, R11), audited;
/// <c>POST /api/tickets/{number}/review</c>: confirm or dismiss a refusal the rules proposed (the review band), audited.</summary>
public static class DecisionApi
{
    public static IEndpointRouteBuilder MapDecisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization("Api").WithTags("Tickets");
        api.MapPost("/tickets/{number}/decision", OverrideAsync).WithName("OverrideDecision")
            .WithSummary("Override the rules' decision with a comment; the rules' decision stays, the override is audited.");
        api.MapPost("/tickets/{number}/review", ReviewAsync).WithName("ReviewRefusal")
            .WithSummary("Confirm or dismiss the refusal the rules proposed («на проверку»); once, audited. 409 when nothing waits for review.");
        return app;
    }

    internal static async Task<Results<Ok<ReviewResponse>, ValidationProblem, ProblemHttpResult>> ReviewAsync(
        string number, ReviewRequest request, RefusalReview review, CancellationToken cancellationToken)
    {
        if (!TicketNumber.TryParse(number, out var parsed))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: $"'{number}' is not a ticket number like RG-000042.");
        var errors = new Dictionary<string, string[]>();
        ReviewAction? action = request.Action?.Trim().ToLowerInvariant() switch
        {
            "confirm" => ReviewAction.Confirm,
            "dismiss" => ReviewAction.Dismiss,
            _ => null,
        };
        if (action is null)
            errors["action"] = ["One of: confirm, dismiss."];
        if (string.IsNullOrWhiteSpace(request.Engineer))
            errors["engineer"] = ["A review needs the engineer's name."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: "Nothing was changed.");

        var result = await review.ReviewAsync(parsed.Value, action!.Value, request.Engineer!.Trim(), request.Comment, cancellationToken);
        if (result.NotFound)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket", detail: result.Problem);
        if (!result.Done)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to review", detail: result.Problem);
        return TypedResults.Ok(new ReviewResponse(parsed.Value.ToString(), action == ReviewAction.Confirm ? ReviewState.Confirmed : ReviewState.Dismissed,
            result.Status, result.Decision is { } decision ? DecisionView.Of(decision) : null));
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
        return TypedResults.Ok(new OverrideResponse(parsed.Value.ToString(), DecisionView.Of(decision)));
    }
}

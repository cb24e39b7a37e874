namespace Reglament.Mail;

/// <summary>One message's budget of time and allocated memory for the part of intake that reads its text: the parse
/// (MIME, HTML to text, quote splitting) and the rules. The work limits of <see cref="IntakeLimits"/> bound the shape
/// of a message; this is the backstop for what they do not foresee. Memory is counted for the parse only (see
/// <see cref="CheckTime"/>), time for the parse and the rules. Cooperative: <see cref="Token"/> is cancelled
/// when the time is up and is passed to the stages that loop over text; <see cref="Check"/> at the checkpoints between
/// steps also compares the clock and the allocations, so a spent budget is noticed there even by code that never
/// looks at the token. Nothing is aborted mid-write: intake catches the cancellation and quarantines the message
/// whole as <see cref="Intake.QuarantineReason.TooComplex"/>.</summary>
public sealed class IntakeBudget : IDisposable
{
    private readonly IntakeLimits limits;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource spent;
    private readonly CancellationTokenSource linked;
    private readonly long startedAt;
    // Allocations are counted on the thread that started the budget, where the parse runs synchronously; the rules
    // await storage and may resume elsewhere, so there only the time counts (a per-thread counter read on another
    // thread would be meaningless).
    private readonly int thread;
    private readonly long allocatedAtStart;

    private IntakeBudget(IntakeLimits limits, TimeProvider time, CancellationToken caller)
    {
        this.limits = limits;
        this.time = time;
        spent = new CancellationTokenSource(limits.MaxIntakeTime, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(spent.Token, caller);
        startedAt = time.GetTimestamp();
        thread = Environment.CurrentManagedThreadId;
        allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    }

    public static IntakeBudget Start(IntakeLimits limits, TimeProvider time, CancellationToken caller) => new(limits, time, caller);

    /// <summary>Cancelled when the budget is spent or the caller gives up.</summary>
    public CancellationToken Token => linked.Token;

    /// <summary>Why the budget was spent (the limit and where it was noticed), or null while it lasts.</summary>
    public string? SpentBecause { get; private set; }

    /// <summary>Whether a cancellation came from the budget rather than from the caller.</summary>
    public bool IsSpent => SpentBecause is not null || spent.IsCancellationRequested;

    /// <summary>A checkpoint between two steps of the parse: throws <see cref="OperationCanceledException"/> when the
    /// time or the memory is spent (or the caller cancelled).</summary>
    public void Check(string step) => Look(step, countAllocations: true);

    /// <summary>A checkpoint between two rules: time only. The rules read the text many times over (tokens, stems,
    /// the knowledge-base index) and allocate mostly short-lived garbage, which the parse's count would wrongly call
    /// memory: a 1.6 MB HTML mail's rules allocated 1.2 GB with a flat heap.</summary>
    public void CheckTime(string step) => Look(step, countAllocations: false);

    private void Look(string step, bool countAllocations)
    {
        if (SpentBecause is null)
        {
            var elapsed = time.GetElapsedTime(startedAt);
            if (elapsed > limits.MaxIntakeTime || spent.IsCancellationRequested)
                SpentBecause = $"intake's time budget of {limits.MaxIntakeTime.TotalMilliseconds:0} ms was spent (noticed at {step})";
            else if (countAllocations && Environment.CurrentManagedThreadId == thread
                     && GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart is var allocated && allocated > limits.MaxAllocatedBytes)
                SpentBecause = $"intake's memory budget of {limits.MaxAllocatedBytes} allocated bytes was spent ({allocated} at {step})";
            if (SpentBecause is not null)
                spent.Cancel();
        }
        Token.ThrowIfCancellationRequested();
    }

    /// <summary>What to record when the token was cancelled by the budget's timer inside a step.</summary>
    public string Explain() =>
        SpentBecause ?? $"intake's time budget of {limits.MaxIntakeTime.TotalMilliseconds:0} ms was spent";

    public void Dispose()
    {
        linked.Dispose();
        spent.Dispose();
    }
}

using System.Diagnostics;

namespace GanCore.Kernels;

/// <summary>
/// Chooses how many threads the products of a training loop's steps may use, by timing the steps themselves
/// (docs/kernels.md, Threads). <see cref="Adversarial.Gan.Step"/> and <see cref="Models.Sequential.Fit"/> use one each;
/// a loop of your own (forward, loss, backward and <see cref="Optimizers.Optimizer.Step"/>) gets the same by keeping
/// one tuner and bracketing each step with <see cref="Begin()"/> and <see cref="End"/>, the end in a finally block.
/// Between the two, <see cref="Gemm"/> gives the products called on that thread at most <see cref="Begin()"/>'s count.
/// </summary>
/// <example>
/// <code>
/// var tuner = new StepThreadTuner();
/// for (int step = 0; step &lt; steps; step++)
/// {
///     tuner.Begin();
///     try
///     {
///         // forward, loss, backward, optimizer.Step()
///     }
///     finally
///     {
///         tuner.End();
///     }
/// }
/// </code>
/// </example>
/// <remarks>
/// <para>Whether a second core speeds a step up is not a property of the shapes alone. It is what the step's products
/// gain from the second core's arithmetic against what the cores pay to hand each other the activations, and on a
/// virtual machine the host decides that second price: the same two virtual CPUs ran a 256-wide GAN step at batch 512
/// 1.3× faster on two threads than on one in one minute and 1.65× slower in another (benchmarks/RESULTS.md,
/// forty-fourth and forty-fifth sessions). So the loop measures. From its first step it runs trials
/// of each count (1, 2, 4, … up to <see cref="Gemm.MaxDegreeOfParallelism"/>
/// and the processors): each for two steps in a row, timing the second (the first moves the data to where that count
/// computes it and wakes the workers), in <see cref="Rounds"/> rounds in rotated order. Then it runs the count whose
/// fastest timed step was fastest until the next trial. The first trials come close together: the second at once,
/// then after 1, 2, 4, … steps at the choice, until the gap reaches <see cref="ExploitSteps"/>. Early in a process the
/// JIT is still optimizing the code each count runs (code that only one count runs, the split products of two threads
/// or the fused one-thread paths, runs only in that count's trial steps), so an early trial can judge a count on code
/// not yet optimized; close trials revisit that choice within a few steps, and by the time they are 500 steps apart
/// every count's code has run often. A trial that changes the choice when the next one would be more than
/// <see cref="ConfirmSteps"/> steps away (from the seventh on) is checked by another after ConfirmSteps steps, so that a
/// count slowed for a moment (the other core busy elsewhere during the trial) does not hold the loop at the slower count
/// for up to <see cref="ExploitSteps"/> steps. (The forty-fifth session's tuner re-ran a trial during which the JIT had
/// compiled, up to 16 times in a row, then held the last choice for 500 steps: at h = 2048 it ran three of seven
/// one-second rounds at one thread where two were 1.12× faster; benchmarks/RESULTS.md, forty-sixth session.) A loop whose
/// products never split in a trial is not timed again for <see cref="DormantSteps"/> steps: its time cannot depend on
/// the count.</para>
/// <para>Steps should be alike (the same shapes) for their times to compare; give a differently shaped loop its own
/// tuner. A step begun while another tuner's step is running on the same thread (a <see cref="Adversarial.Gan.Step"/>
/// inside your own bracket) is part of that outer step: it runs at the outer count and times nothing. The count moves
/// speed, never bits: a product's result is bitwise the same on any number of threads. A tuner is used by one loop on
/// one thread at a time; it is not thread-safe.</para>
/// </remarks>
public sealed class StepThreadTuner
{
    /// <summary>How many timed steps each count gets in a trial; its fastest one counts.</summary>
    internal const int Rounds = 3;

    /// <summary>Steps at the chosen count between two trials once the first, closer ones are past: a trial whose losing
    /// count is twice as slow costs about 1% of the steps' time, and the loop follows a host that changes within a few
    /// hundred steps.</summary>
    internal const int ExploitSteps = 500;

    /// <summary>Steps before a trial that changed the choice is checked by another, where the next trial would otherwise
    /// come later than that: a host that slows one count for a moment (the other core busy elsewhere for the ~100 ms of a
    /// trial) then costs these steps at the slower count, not up to <see cref="ExploitSteps"/> of them.</summary>
    internal const int ConfirmSteps = ExploitSteps / 16;

    /// <summary>Steps before a loop whose products never split checks again (its batch or the setting may change).</summary>
    internal const int DormantSteps = 4096;

    private readonly Func<long> _clock;
    private readonly Func<long> _splits;
    private int[] _counts = [];
    private long[] _fastest = [];
    private int _cap;
    private int _choice;
    private int _countdown;
    private int _trial = -1;
    private int _gap;
    private bool _sawSplit;
    private bool _settled;
    private bool _confirming;
    private int _degree;
    private int _slot;
    private bool _trialStep;
    private bool _timed;
    private long _start;
    private long _splitsAtStart;
    private bool _open;
    private bool _nested;
    private int _threadId;

    /// <summary>A tuner on the process's clock and its count of split products.</summary>
    public StepThreadTuner()
        : this(Stopwatch.GetTimestamp, () => GemmWorkers.Products)
    {
    }

    /// <summary>Tests: a tuner on <paramref name="clock"/>, told by <paramref name="splits"/> how many products have split.</summary>
    internal StepThreadTuner(Func<long> clock, Func<long> splits)
    {
        _clock = clock;
        _splits = splits;
    }

    /// <summary>The counts a trial tries, smallest first: 1, 2, 4, … below the cap, then the cap.</summary>
    internal IReadOnlyList<int> Counts => _counts;

    /// <summary>The thread count the steps run at between trials: the fastest in the last trial, or the most threads
    /// allowed before the first trial ends (1 before the first step, and while <see cref="Gemm.AdaptiveParallelism"/> is
    /// off or one thread is the most allowed, in which case every step runs at that most).</summary>
    public int ChosenThreads => _counts.Length == 0 ? 1 : _counts[_choice];

    /// <summary>The fastest timed step of each of <see cref="Counts"/> in the last trial, in <see cref="Stopwatch"/> ticks
    /// (diagnostics; <see cref="long.MaxValue"/> for a count not timed, and partly refilled while a trial runs).</summary>
    internal ReadOnlySpan<long> FastestTicks => _fastest;

    /// <summary>Whether a trial is under way.</summary>
    internal bool InTrial => _trial >= 0;

    /// <summary>Whether the close first trials are over: the last trial set the next one <see cref="ExploitSteps"/> (or,
    /// for a loop whose products never split, <see cref="DormantSteps"/>) steps away, as every trial does from then on.
    /// A benchmark that times a tuned loop's steady state warms it until then (benchmarks/TorchSharpComparison).</summary>
    internal bool Settled => _settled;

    /// <summary>
    /// Starts a step: returns the most threads its products may use and sets that for <see cref="Gemm"/> on this
    /// thread until <see cref="End"/>. Returns the cap with nothing timed when <see cref="Gemm.AdaptiveParallelism"/> is
    /// off or only one thread may run, and the outer step's count when another tuner's step is running on this thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tuner's previous step was not ended.</exception>
    public int Begin() => Begin(Math.Min(Gemm.MaxDegreeOfParallelism, Environment.ProcessorCount), Gemm.AdaptiveParallelism);

    /// <summary><see cref="Begin()"/> with the cap and the setting given (tests).</summary>
    internal int Begin(int cap, bool adaptive)
    {
        if (_open)
        {
            throw new InvalidOperationException($"StepThreadTuner.Begin: the step begun on thread {_threadId} has not ended; call End once after each Begin, in a finally block, so a step that throws ends too.");
        }

        _open = true;
        _threadId = Environment.CurrentManagedThreadId;
        _timed = false;
        _trialStep = false;
        int outer = Gemm.StepThreads;
        _nested = outer != 0;
        if (_nested)
        {
            // Part of a step another tuner is timing (a Gan.Step inside a custom loop's bracket): that step decides.
            return outer;
        }

        if (!adaptive || cap <= 1)
        {
            return Math.Max(cap, 1);
        }

        if (cap != _cap)
        {
            Reset(cap);
        }

        if (_trial < 0 && _countdown-- <= 0)
        {
            _trial = 0;
            _sawSplit = false;
            for (int i = 0; i < _fastest.Length; i++)
            {
                _fastest[i] = long.MaxValue;
            }
        }

        if (_trial >= 0)
        {
            // Step pair p = trial / 2 of round r runs count (p + r) mod n; the second step of each pair is timed.
            int n = _counts.Length;
            int pair = _trial / 2;
            _slot = ((pair % n) + (pair / n)) % n;
            _degree = _counts[_slot];
            _trialStep = true;
            _timed = (_trial & 1) == 1;
        }
        else
        {
            _degree = _counts[_choice];
        }

        Gemm.StepThreads = _degree;
        if (_timed)
        {
            _splitsAtStart = _splits();
            _start = _clock();
        }

        return _degree;
    }

    /// <summary>Ends the step <see cref="Begin()"/> started: lifts its count and, during a trial, records its time.
    /// Call it in a finally block; a step that threw is recorded like any other (the trial is only a little off).</summary>
    /// <exception cref="InvalidOperationException">No step of this tuner is running, or it began on another thread.</exception>
    public void End()
    {
        if (!_open)
        {
            throw new InvalidOperationException("StepThreadTuner.End: no step is running; call End once after each Begin.");
        }

        int thread = Environment.CurrentManagedThreadId;
        if (thread != _threadId)
        {
            throw new InvalidOperationException($"StepThreadTuner.End: the step began on thread {_threadId} but is ending on thread {thread}; the count applies to the thread that called Begin, so end the step there.");
        }

        _open = false;
        if (_nested)
        {
            _nested = false;
            return;
        }

        Gemm.StepThreads = 0;
        if (!_trialStep)
        {
            return;
        }

        _trialStep = false;
        if (_timed)
        {
            long elapsed = _clock() - _start;
            _timed = false;
            _fastest[_slot] = Math.Min(_fastest[_slot], elapsed);
            _sawSplit |= _degree > 1 && _splits() != _splitsAtStart;
        }

        if (++_trial < 2 * Rounds * _counts.Length)
        {
            return;
        }

        _trial = -1;
        int before = _choice;
        _choice = _counts.Length - 1;
        if (!_sawSplit)
        {
            // No multi-thread step split a product, so every count ran the same code: the cap, untimed.
            _countdown = DormantSteps;
            _settled = true;
            return;
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            if (_fastest[i] < _fastest[_choice])
            {
                _choice = i;
            }
        }

        // A changed choice is checked by another trial soon where the next would come later (not a check's own change:
        // a host that keeps changing gets one extra trial per gap, not one every ConfirmSteps).
        if (_choice != before && _gap > ConfirmSteps && !_confirming)
        {
            _countdown = ConfirmSteps;
            _confirming = true;
            return;
        }

        // The next trial: at once, then after twice as many steps each time, up to ExploitSteps.
        _confirming = false;
        _countdown = _gap;
        _settled = _gap == ExploitSteps;
        _gap = Math.Min(Math.Max(2 * _gap, 1), ExploitSteps);
    }

    /// <summary>Starts over for a new cap. (Plain loops, no list or generic helpers: the seed GAN's first step runs
    /// this, and it compiled nothing of its own before the tuner; benchmarks/RESULTS.md, forty-fifth session.)</summary>
    private void Reset(int cap)
    {
        int n = 1;
        for (int c = 1; c < cap; c *= 2)
        {
            n++;
        }

        _counts = new int[n];
        for (int i = 0, c = 1; i < n - 1; i++, c *= 2)
        {
            _counts[i] = c;
        }

        _counts[n - 1] = cap;
        _fastest = new long[n];
        _cap = cap;
        _choice = n - 1;
        _countdown = 0;
        _trial = -1;
        _gap = 0;
        _settled = false;
        _confirming = false;
    }
}

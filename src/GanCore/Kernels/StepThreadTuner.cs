using System.Diagnostics;
using System.Runtime;

namespace GanCore.Kernels;

/// <summary>
/// Chooses how many threads the products of a training loop's steps may use, by timing the steps themselves
/// (docs/kernels.md, Threads). A loop brackets each step with <see cref="Begin()"/> and <see cref="End"/>; between the two,
/// <see cref="Gemm"/> gives the products on this thread at most <see cref="Begin()"/>'s count.
/// </summary>
/// <remarks>
/// <para>Whether a second core speeds a step up is not a property of the shapes alone. It is what the step's products
/// gain from the second core's arithmetic against what the cores pay to hand each other the activations, and on a
/// virtual machine the host decides that second price: the same two virtual CPUs ran a 256-wide GAN step at batch 512
/// 1.3× faster on two threads than on one in one minute and 1.65× slower in another (benchmarks/RESULTS.md,
/// forty-fourth and forty-fifth sessions). So the loop measures. From its first step, and again every
/// <see cref="ExploitSteps"/> steps, it runs a trial of each count (1, 2, 4, … up to <see cref="Gemm.MaxDegreeOfParallelism"/>
/// and the processors): each for two steps in a row, timing the second (the first moves the data to where that count
/// computes it and wakes the workers), in <see cref="Rounds"/> rounds in rotated order. Then it runs the count whose
/// fastest timed step was fastest until the next trial. A trial during which the JIT compiled anything is run again at
/// once, up to <see cref="RetriedTrials"/> times in a row: early in a process, and for code that only one count runs
/// (a count that runs only in trials gets its 30 calls to tier 1 only over a few of them), a count can look slow for
/// the JIT's sake alone. A loop whose products never split in a trial is not timed again for <see cref="DormantSteps"/>
/// steps: its time cannot depend on the count.</para>
/// <para>The count moves speed, never bits: a product's result is bitwise the same on any number of threads.</para>
/// </remarks>
internal sealed class StepThreadTuner
{
    /// <summary>Trials in a row that may be retried because the JIT compiled code during them; the last is then taken
    /// as it is (a process that compiles all the time would otherwise spend half its steps in trials).</summary>
    internal const int RetriedTrials = 16;

    /// <summary>How many timed steps each count gets in a trial; its fastest one counts.</summary>
    internal const int Rounds = 3;

    /// <summary>Steps at the chosen count between two trials: a trial whose losing count is twice as slow costs about
    /// 1% of the steps' time, and the loop follows a host that changes within a few hundred steps.</summary>
    internal const int ExploitSteps = 500;

    /// <summary>Steps before a loop whose products never split checks again (its batch or the setting may change).</summary>
    internal const int DormantSteps = 4096;

    private readonly Func<long> _clock;
    private readonly Func<long> _splits;
    private readonly Func<long> _compiled;
    private int[] _counts = [];
    private long[] _fastest = [];
    private int _cap;
    private int _choice;
    private int _countdown;
    private int _trial = -1;
    private int _retries;
    private long _compiledAtStart;
    private bool _sawSplit;
    private int _degree;
    private int _slot;
    private bool _trialStep;
    private bool _timed;
    private long _start;
    private long _splitsAtStart;

    /// <summary>A tuner on the process's clock, its count of split products and the JIT's count of compiled methods.</summary>
    public StepThreadTuner()
        : this(Stopwatch.GetTimestamp, () => GemmWorkers.Products, () => JitInfo.GetCompiledMethodCount())
    {
    }

    /// <summary>Tests: a tuner on <paramref name="clock"/>, told by <paramref name="splits"/> how many products have split
    /// and by <paramref name="compiled"/> how many methods the JIT has compiled.</summary>
    internal StepThreadTuner(Func<long> clock, Func<long> splits, Func<long> compiled)
    {
        _clock = clock;
        _splits = splits;
        _compiled = compiled;
    }

    /// <summary>The counts a trial tries, smallest first: 1, 2, 4, … below the cap, then the cap.</summary>
    internal IReadOnlyList<int> Counts => _counts;

    /// <summary>The count chosen by the last trial (the cap before the first trial ends).</summary>
    internal int Chosen => _counts.Length == 0 ? 1 : _counts[_choice];

    /// <summary>The fastest timed step of each of <see cref="Counts"/> in the last trial, in <see cref="Stopwatch"/> ticks
    /// (diagnostics; <see cref="long.MaxValue"/> for a count not timed, and partly refilled while a trial runs).</summary>
    internal ReadOnlySpan<long> FastestTicks => _fastest;

    /// <summary>Whether a trial is under way.</summary>
    internal bool InTrial => _trial >= 0;

    /// <summary>
    /// Starts a step: returns the most threads its products may use and sets that for <see cref="Gemm"/> on this
    /// thread until <see cref="End"/>. Returns the cap with nothing timed when <see cref="Gemm.AdaptiveParallelism"/> is
    /// off or only one thread may run.
    /// </summary>
    public int Begin() => Begin(Math.Min(Gemm.MaxDegreeOfParallelism, Environment.ProcessorCount), Gemm.AdaptiveParallelism);

    /// <summary><see cref="Begin()"/> with the cap and the setting given (tests).</summary>
    internal int Begin(int cap, bool adaptive)
    {
        _timed = false;
        _trialStep = false;
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
            _compiledAtStart = _compiled();
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
    public void End()
    {
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
        _choice = _counts.Length - 1;
        if (_sawSplit)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                if (_fastest[i] < _fastest[_choice])
                {
                    _choice = i;
                }
            }
        }

        if (_compiled() != _compiledAtStart && ++_retries < RetriedTrials)
        {
            // The JIT compiled code during the trial: some count may have run code not yet optimized (a count that runs
            // only in trials reaches its 30 calls to tier 1 only after a few of them). Again, at once.
            _countdown = 0;
            return;
        }

        // After a trial in which no multi-thread step split a product every count ran the same code: the cap, untimed.
        _retries = 0;
        _countdown = _sawSplit ? ExploitSteps : DormantSteps;
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
        _retries = 0;
    }
}

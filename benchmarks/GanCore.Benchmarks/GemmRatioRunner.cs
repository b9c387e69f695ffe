using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using GanCore.Kernels;

namespace GanCore.Benchmarks;

/// <summary>
/// A quick same-process comparison of GanCore and OpenBLAS on identical operands, interleaved so both see the same
/// machine state: <c>GanCore.Benchmarks gemm-ratios [--threads 1,2] [--rounds 7] [--set small|batch|square|transposed|skinny|narrow|widths|all] [--settle-ms 300]</c>.
/// Every round times each contender for about 40 ms per shape, alternating which goes first; the row reports the best
/// and the median round. On a shared machine the best round is the steadiest figure. Not BenchmarkDotNet: it exists
/// to iterate on kernels and to repeat a measurement many times between other jobs.
/// </summary>
public static class GemmRatioRunner
{
    /// <summary>The seed GAN's eleven GEMMs at batch 64.</summary>
    public static readonly string[] SmallShapes =
    [
        "AB 64x5x128", "AB 64x128x15", "AB 64x15x128", "AB 64x128x1",
        "AtB 15x64x128", "AtB 128x64x15", "AtB 5x64x128", "AtB 128x64x1",
        "ABt 64x128x15", "ABt 64x15x128", "ABt 64x1x128",
    ];

    /// <summary>The seed GAN's eleven GEMMs at batch 1 and batch 8: a model run one example at a time, or trained on small
    /// batches, where a product costs little more than its way to the kernel (benchmarks/RESULTS.md, forty-first session).</summary>
    public static readonly string[] BatchShapes =
    [
        .. new[] { 1, 8 }.SelectMany(batch => new[]
        {
            $"AB {batch}x5x128", $"AB {batch}x128x15", $"AB {batch}x15x128", $"AB {batch}x128x1",
            $"AtB 15x{batch}x128", $"AtB 128x{batch}x15", $"AtB 5x{batch}x128", $"AtB 128x{batch}x1",
            $"ABt {batch}x128x15", $"ABt {batch}x15x128", $"ABt {batch}x1x128",
        }),
    ];

    /// <summary>Square products from 128³ to 2048³.</summary>
    public static readonly string[] SquareShapes =
        ["AB 128x128x128", "AB 256x256x256", "AB 512x512x512", "AB 1024x1024x1024", "AB 2048x2048x2048"];

    /// <summary>Square products with a transposed operand, 128³ to 1024³: a square layer's weight gradient (Aᵀ·B) and
    /// input gradient (A·Bᵀ), whose packing reads op(A) or op(B) across its rows.</summary>
    public static readonly string[] TransposedShapes =
    [
        "AtB 128x128x128", "AtB 256x256x256", "AtB 512x512x512", "AtB 1024x1024x1024",
        "ABt 128x128x128", "ABt 256x256x256", "ABt 512x512x512", "ABt 1024x1024x1024",
    ];

    /// <summary>The GEMMs of the h = 2048, batch 1024 GAN (G 5→2048→15, D 15→2048→1): forward, weight and input gradients.</summary>
    public static readonly string[] SkinnyShapes =
    [
        "AB 1024x5x2048", "AB 1024x2048x15", "AB 1024x15x2048", "AB 1024x2048x1",
        "AtB 5x1024x2048", "AtB 2048x1024x15", "AtB 15x1024x2048", "AtB 2048x1024x1",
        "ABt 1024x15x2048", "ABt 1024x2048x15", "ABt 1024x1x2048",
    ];

    /// <summary>A few columns against a longer K, as A·B and A·Bᵀ (an output layer of 2–26 units and its input gradient),
    /// where the dot-product route and the direct loops meet (docs/kernels.md, Paths).</summary>
    public static readonly string[] NarrowShapes =
    [
        "AB 64x128x2", "AB 96x832x2", "AB 600x40x3", "AB 300x300x5", "AB 256x64x8", "AB 1000x800x9", "AB 77x196x13", "AB 600x40x19", "AB 1000x800x26",
        "ABt 64x128x2", "ABt 96x832x2", "ABt 600x40x3", "ABt 300x300x5", "ABt 256x64x8", "ABt 1000x800x9", "ABt 77x196x13", "ABt 600x40x19", "ABt 1000x800x26",
    ];

    /// <summary>C 128 × N, and 8 × N, for N past one vector with every kind of last vector: 1–8 columns (at 512 bits a
    /// 256-bit pass of their own where 512-bit vectors are split), 9–15 (read in place or masked), and whole, behind one to
    /// three whole vectors, as A·B and Aᵀ·B. Where a kernel family of the direct loops falls off, this set shows it: in the
    /// fifty-eighth session it found A·B and Aᵀ·B with N = 41–47 at 0.42–0.46 of OpenBLAS (benchmarks/RESULTS.md).</summary>
    public static readonly string[] WidthShapes =
    [
        .. new[] { 17, 20, 25, 28, 33, 36, 41, 44, 47, 50, 57, 60 }.SelectMany(n => new[] { $"AB 128x128x{n}", $"AtB 128x128x{n}" }),
        "AB 8x128x28", "AB 8x128x44", "AB 7x128x44", "AB 8x128x60",
    ];

    /// <summary>A margin over the runtime's 100 ms call-counting delay, the 30 calls after it and the tier-1
    /// compilation they trigger; shorter settles are allowed but warned about. (On a single-CPU host or container the
    /// runtime multiplies the delay by ten, and even this margin is too short.)</summary>
    public const int ShortestSafeSettleMs = 300;

    /// <summary>The command line, printed by <c>gemm-ratios --help</c>.</summary>
    public const string Usage = "gemm-ratios [--threads 1,2] [--rounds 7] [--set small|batch|square|transposed|skinny|narrow|widths|all|\"AB 64x5x128;...\"] [--path auto|direct|packed|stream|dot] [--blocking KC,MC,NC[,P[,D]]] [--settle-ms 300] [--offset 0]: interleaved GanCore/OpenBLAS ratios on identical operands, each shape timed once the JIT has compiled nothing for --settle-ms (0: time at once) (see docs/kernels.md).";

    /// <summary>Runs the comparison and prints one row per shape and thread count.</summary>
    /// <exception cref="ArgumentException">An option is unknown or has no value.</exception>
    public static unsafe void Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"Option '{args[^1]}' needs a value. {Usage}", nameof(args));
        }

        int[] threads = [1];
        int rounds = 7;
        int settleMs = 300;
        int offset = 0;
        string set = "all";
        GemmBlocking? forced = null;
        GemmPath path = GemmPath.Auto;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads":
                    threads = args[i + 1].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--rounds":
                    rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--set":
                    set = args[i + 1];
                    break;
                case "--settle-ms":
                    settleMs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--offset":
                    // Each operand's first float this many floats past a 64-byte boundary: 0 (the default) as GanCore's
                    // Matrix allocates, 1–15 to see what a caller's unaligned arrays cost.
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > 15)
                    {
                        throw new ArgumentException($"--offset takes a number of floats from 0 to 15; got '{args[i + 1]}'. {Usage}", nameof(args));
                    }

                    break;
                case "--path":
                    // auto | direct | packed | stream: an experiment against the route GemmEngine would choose.
                    path = Enum.Parse<GemmPath>(args[i + 1], ignoreCase: true);
                    break;
                case "--blocking":
                    // KC,MC,NC[,P[,D]]: an experiment against the host-derived blocking (docs/kernels.md); P is the parallel
                    // threshold on M·N·K, D the unpacked bound in bytes (0: operands in L2 together are packed too).
                    long[] v = args[i + 1].Split(',').Select(t => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x : -1).ToArray();
                    if (v.Length is < 3 or > 5 || v.Take(4).Any(x => x <= 0) || v.Skip(4).Any(x => x < 0) || v.Take(3).Any(x => x > int.MaxValue))
                    {
                        throw new ArgumentException($"--blocking takes KC,MC,NC[,P[,D]] as positive integers (D may be 0); got '{args[i + 1]}'. {Usage}", nameof(args));
                    }

                    GemmBlocking host = GemmEngine.BlockingFor(KernelDispatch.HardwareWidth);
                    forced = host with
                    {
                        KC = (int)v[0],
                        MC = (int)v[1],
                        NC = (int)v[2],
                        ParallelThreshold = v.Length > 3 ? v[3] : host.ParallelThreshold,
                        DirectBytes = v.Length > 4 ? v[4] : host.DirectBytes,
                    };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.", nameof(args));
            }
        }

        // A ';'-separated list of set names and shapes, e.g. "small;AB 64x64x1"; every entry is checked before any runs.
        string[] shapes = [.. set.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SelectMany(entry => entry switch
        {
            "small" => SmallShapes,
            "batch" => BatchShapes,
            "square" => SquareShapes,
            "transposed" => TransposedShapes,
            "skinny" => SkinnyShapes,
            "narrow" => NarrowShapes,
            "widths" => WidthShapes,
            "all" => [.. SmallShapes, .. BatchShapes, .. SquareShapes, .. TransposedShapes, .. SkinnyShapes, .. NarrowShapes, .. WidthShapes],
            _ => new[] { entry },
        })];
        foreach (string text in shapes)
        {
            try
            {
                _ = GemmShape.Parse(text);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"--set: {e.Message} {Usage}", nameof(args), e);
            }
        }

        Console.WriteLine($"// CPU: {HostDescription.CpuModel()}; {Environment.ProcessorCount} logical processors; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {HostDescription.LoadAverage(oneMinute: true)}");
        Console.WriteLine("// " + GemmCacheInfoText());
        Console.WriteLine($"// {OpenBlasNative.Describe()} Register-only FMA peak measured now: {FmaPeak.GflopsPerThread:F1} GFLOP/s per thread.");
        Console.WriteLine($"// best and median of {rounds} interleaved rounds; GFLOP/s = 2·M·N·K / time; operands {(offset == 0 ? "64-byte aligned" : $"{offset} floats past a 64-byte boundary")} (--offset)");
        Console.WriteLine(settleMs > 0
            ? $"// each shape runs until the JIT has compiled nothing for {settleMs} ms (at most 5 s; the 'settle' column) before it is timed: steady-state code, as a long run gets it"
            : "// timed at once (--settle-ms 0): a ReadyToRun build may still run its precompiled code, slower than tier 1 on some routes");
        if (settleMs is > 0 and < ShortestSafeSettleMs)
        {
            Console.WriteLine($"// warning: --settle-ms {settleMs} is shorter than {ShortestSafeSettleMs}: the runtime starts counting calls only once 100 ms (1 s on a single CPU) pass without a method called for the first time, so a shape (the first of a run most of all) may be timed before its kernels are recompiled, on tier-0 code where the image's is not used (AVX-512 or AVX2 turned off): 2-3x slow (benchmarks/RESULTS.md, twenty-ninth session)");
        }
        // Only an experiment forces anything: forcing (even the host's own blocking or the automatic path) puts the
        // process in the engine's test mode, where every product reads thread-static settings (~10 ns of TLS lookups a
        // call, a tenth of a 64×128×1 product's time) that a user's process never reads.
        using GemmEngine.BlockingScope? scope = forced is { } blocking ? GemmEngine.ForceBlocking(blocking) : null;
        using GemmEngine.PathScope? pathScope = path != GemmPath.Auto ? GemmEngine.ForcePath(path) : null;
        if (path != GemmPath.Auto)
        {
            Console.WriteLine($"// forced path: {path}");
        }

        if (forced is { } f)
        {
            Console.WriteLine($"// forced blocking: KC {f.KC}, MC {f.MC}, NC {f.NC}, parallel from M·N·K ≥ {f.ParallelThreshold:N0}, unpacked up to {f.DirectBytes / 1024} KB of operands");
        }

        Console.WriteLine("| shape | threads | GanCore µs (best) | OpenBLAS µs (best) | GanCore GFLOP/s | OpenBLAS GFLOP/s | ratio best | ratio median | settle ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string text in shapes)
        {
            GemmShape s = GemmShape.Parse(text);
            (int aRows, int lda) = s.TransposeA ? (s.K, s.M) : (s.M, s.K);
            (int bRows, int ldb) = s.TransposeB ? (s.N, s.K) : (s.K, s.N);
            var rng = new Random(42);
            using var a = new GemmOperand(aRows * lda, offset, rng);
            using var b = new GemmOperand(bRows * ldb, offset, rng);
            using var c = new GemmOperand(s.M * s.N, offset, null);

            foreach (int t in threads)
            {
                Gemm.MaxDegreeOfParallelism = t;
                Action ours = () => Gemm.Compute(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a.Span, lda, b.Span, ldb, c.Span, s.N);
                Action? theirs = null;
                if (OpenBlasNative.IsAvailable)
                {
                    OpenBlasNative.SetThreads(t);
                    theirs = () => OpenBlasNative.Sgemm(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a.First, lda, b.First, ldb, c.First, s.N);
                }

                int reps = Math.Max(1, (int)(4e8 / Math.Max(s.Flops, 1)));
                double settled = Settle(ours, theirs, settleMs);
                var oursTimes = new List<double>();
                var theirTimes = new List<double>();
                for (int r = 0; r < rounds; r++)
                {
                    if (r % 2 == 0)
                    {
                        oursTimes.Add(Time(ours, reps));
                        theirTimes.Add(theirs is null ? double.NaN : Time(theirs, reps));
                    }
                    else
                    {
                        theirTimes.Add(theirs is null ? double.NaN : Time(theirs, reps));
                        oursTimes.Add(Time(ours, reps));
                    }
                }

                double ob = oursTimes.Min(), tb = theirTimes.Min();
                double om = Median(oursTimes), tm = Median(theirTimes);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {text} | {t} | {ob * 1e6:F2} | {tb * 1e6:F2} | {s.Flops / ob / 1e9:F1} | {s.Flops / tb / 1e9:F1} | {tb / ob:F2} | {tm / om:F2} | {settled:F0} |"));
            }
        }
    }

    /// <summary>
    /// Runs both products until the runtime has compiled no method for <paramref name="quietMs"/> ms in a row (at most
    /// 5 s), so that they are timed on the code a long run gets: the runtime recompiles hot methods at tier 1 only after
    /// 100 ms without new work for the JIT, and every new shape or OpenBLAS call site postpones that. Returns the ms it
    /// took (0 when <paramref name="quietMs"/> is 0).
    /// </summary>
    internal static double Settle(Action ours, Action? theirs, int quietMs)
    {
        if (quietMs <= 0)
        {
            return 0;
        }

        long start = Stopwatch.GetTimestamp();
        long quietSince = start;
        long compiled = JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetElapsedTime(quietSince).TotalMilliseconds < quietMs && Stopwatch.GetElapsedTime(start).TotalSeconds < 5)
        {
            ours();
            theirs?.Invoke();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Time(Action action, int reps)
    {
        action();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string GemmCacheInfoText() => GemmEngine.DescribeHost();
}

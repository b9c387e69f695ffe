using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace StepCompare;

/// <summary>
/// Compares two builds of GanCore in one process: each build's benchmark assembly is loaded into its own
/// <see cref="AssemblyLoadContext"/>, both build the same seed GAN (or run the same GEMM), and short bursts of the two
/// alternate for many rounds. On a shared host whose speed drifts by tens of percent within minutes, separate processes
/// measured minutes apart cannot resolve a 2% change; bursts a few milliseconds apart see the same host. Each build
/// is loaded twice, in the order baseline, candidate, candidate, baseline, and the copies run in a rotating order, so
/// neither build always runs first; the two copies of a build are pooled, and the report names any copy that ran much
/// slower than its twin (the symptom of a copy left running unoptimized code: see the project file's TieredPGO).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var baseline = new Option<DirectoryInfo>("--baseline") { Description = "Output folder of the first build's benchmarks (holding GanCore.Benchmarks.dll), e.g. benchmarks/GanCore.Benchmarks/bin/Release/net10.0 of a second worktree.", Required = true };
        var candidate = new Option<DirectoryInfo>("--candidate") { Description = "Output folder of the second build's benchmarks.", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Bursts per build, alternating (the order flips every round).", DefaultValueFactory = _ => 60 };
        var burst = new Option<int>("--burst") { Description = "GAN steps (or GEMM calls × 100) per burst.", DefaultValueFactory = _ => 300 };
        var warm = new Option<int>("--warm") { Description = "GAN steps each build trains before timing (past the JIT and into the steady state).", DefaultValueFactory = _ => 3000 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden width of G and D (the seed GAN: 128).", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { Description = "Batch size (the seed GAN: 64).", DefaultValueFactory = _ => 64 };
        var gemm = new Option<string?>("--gemm") { Description = "Compare one GEMM instead of the GAN step: 'AB 64x5x128', 'AtB 128x64x15' or 'ABt 64x128x15' (M×K×N)." };
        var activation = new Option<string?>("--activation") { Description = "With --gemm 'AB …': the fused dense epilogue C = act(A·B + bias) through Gemm.MultiplyBiasActivation, with this activation (Identity, ReLU, LeakyReLU, Sigmoid or Tanh; leaky ReLU's slope 0.2)." };
        var threads = new Option<int>("--threads") { Description = "Gemm.MaxDegreeOfParallelism in both builds.", DefaultValueFactory = _ => 1 };
        var candidateThreads = new Option<int?>("--candidate-threads") { Description = "Gemm.MaxDegreeOfParallelism in the candidate instead (the baseline keeps --threads): pass one build as both, e.g. --threads 1 --candidate-threads 2, for a same-run two-thread speed-up." };
        var fixedThreads = new Option<bool>("--fixed-threads") { Description = "Gemm.AdaptiveParallelism = false in builds that have it: every GAN step runs its products on --threads, as builds before it did, instead of choosing its count by timing." };
        var root = new RootCommand("Two builds of GanCore in one process, timed in alternating bursts: the seed GAN step (default) or one GEMM shape.");
        foreach (Option o in new Option[] { baseline, candidate, rounds, burst, warm, hidden, batch, gemm, activation, threads, candidateThreads, fixedThreads })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            int r = parse.GetValue(rounds);
            int b = parse.GetValue(burst);
            int[] threadCounts = [parse.GetValue(threads), parse.GetValue(candidateThreads) ?? parse.GetValue(threads)];
            if (r < 2 || b < 1 || parse.GetValue(warm) < 0 || parse.GetValue(hidden) < 1 || parse.GetValue(batch) < 1 || threadCounts.Min() < 1)
            {
                Console.Error.WriteLine("--rounds must be ≥ 2, --burst, --hidden, --batch, --threads and --candidate-threads ≥ 1, --warm ≥ 0.");
                return 2;
            }

            s_fixedThreads = parse.GetValue(fixedThreads);
            try
            {
                DirectoryInfo[] dirs = [parse.GetValue(baseline)!, parse.GetValue(candidate)!];
                string? shape = parse.GetValue(gemm);
                string? act = parse.GetValue(activation);
                if (act is not null && (shape is null || !shape.TrimStart().StartsWith("AB ", StringComparison.Ordinal)))
                {
                    throw new StepCompareException($"--activation {act} needs --gemm 'AB MxKxN' (the fused epilogue is C = act(A·B + bias)).");
                }

                var work = new Action<int>[4];
                for (int i = 0; i < 4; i++)
                {
                    Assembly benchmarks = Load(dirs[Build(i)], i);
                    work[i] = shape is null
                        ? GanSteps(benchmarks, parse.GetValue(hidden), parse.GetValue(batch), parse.GetValue(warm), threadCounts[Build(i)])
                        : act is null ? GemmCalls(benchmarks, shape, threadCounts[Build(i)]) : FusedCalls(benchmarks, shape, act, threadCounts[Build(i)]);
                }

                (double settled, bool quiet) = Settle(work);
                Console.WriteLine(quiet
                    ? string.Create(CultureInfo.InvariantCulture, $"settled: the four copies ran until the JIT had compiled nothing for {QuietMs} ms ({settled:F0} ms)")
                    : string.Create(CultureInfo.InvariantCulture, $"warning: the JIT was still compiling after {settled:F0} ms of warm-up; some copies may be timed on unoptimized code"));
                Report(dirs, threadCounts, work, r, b, shape is null ? "µs per step" : "µs per call", shape is null ? 1 : 100);
                return 0;
            }
            catch (StepCompareException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return root.Parse(args).Invoke();
    }

    /// <summary>Loads GanCore.Benchmarks.dll, and everything it references, from <paramref name="dir"/> only.</summary>
    private static Assembly Load(DirectoryInfo dir, int index)
    {
        string path = Path.Combine(dir.FullName, "GanCore.Benchmarks.dll");
        if (!File.Exists(path))
        {
            throw new StepCompareException($"{path} does not exist: pass the output folder of a built benchmarks project (dotnet build GanCore.sln -c Release).");
        }

        var context = new AssemblyLoadContext($"build {index}: {dir.FullName}");
        context.Resolving += (ctx, name) =>
        {
            string candidate = Path.Combine(dir.FullName, name.Name + ".dll");
            return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
        };
        return context.LoadFromAssemblyPath(path);
    }

    /// <summary>The seed GAN of <c>GanStepBenchmarks.BuildSeedGan</c> at the given width and batch, trained
    /// <paramref name="warm"/> steps on <paramref name="threads"/> threads; the action takes that many more steps.</summary>
    private static Action<int> GanSteps(Assembly benchmarks, int hidden, int batch, int warm, int threads)
    {
        MethodInfo build = benchmarks.GetType("GanCore.Benchmarks.GanStepBenchmarks")?.GetMethod("BuildSeedGan", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new StepCompareException($"{benchmarks.Location} has no GanStepBenchmarks.BuildSeedGan: a build older than this tool.");
        object?[] arguments = build.GetParameters().Select(p => p.Name switch
        {
            "hidden" => hidden,
            "batch" => batch,
            _ => p.HasDefaultValue ? p.DefaultValue : throw new StepCompareException($"BuildSeedGan's parameter '{p.Name}' has no default."),
        }).ToArray();
        object gan = build.Invoke(null, arguments)!;

        // After the build, which sets one thread for the single-threaded benchmark (before this line the option
        // reached only the GEMM comparisons, and every GAN step ran on one thread whatever --threads said).
        SetThreads(benchmarks, threads);
        MethodInfo stepMethod = gan.GetType().GetMethod("Step", Type.EmptyTypes) ?? throw new StepCompareException("Gan.Step() not found.");
        Delegate step = stepMethod.CreateDelegate(typeof(Func<>).MakeGenericType(stepMethod.ReturnType), gan);
        Action one = Invoker(step);
        Action<int> run = n =>
        {
            for (int s = 0; s < n; s++)
            {
                one();
            }
        };
        run(warm);
        return run;
    }

    /// <summary>A call of the delegate with its result dropped, compiled so a step costs no reflection.</summary>
    private static Action Invoker(Delegate d)
    {
        var call = System.Linq.Expressions.Expression.Invoke(System.Linq.Expressions.Expression.Constant(d));
        return System.Linq.Expressions.Expression.Lambda<Action>(System.Linq.Expressions.Expression.Block(typeof(void), call)).Compile();
    }

    private delegate void Compute(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate);

    /// <summary>GanCore's public <c>Gemm</c> class in the build that <paramref name="benchmarks"/> references.</summary>
    private static Type GemmType(Assembly benchmarks)
    {
        Assembly core = benchmarks.GetReferencedAssemblies().Where(a => a.Name == "GanCore").Select(a => AssemblyLoadContext.GetLoadContext(benchmarks)!.LoadFromAssemblyName(a)).Single();
        return core.GetType("GanCore.Kernels.Gemm") ?? throw new StepCompareException("GanCore.Kernels.Gemm not found.");
    }

    /// <summary>Whether --fixed-threads was given.</summary>
    private static bool s_fixedThreads;

    /// <summary>Sets <c>Gemm.MaxDegreeOfParallelism</c> in the build that <paramref name="benchmarks"/> references, and
    /// with --fixed-threads turns off <c>Gemm.AdaptiveParallelism</c> where the build has it.</summary>
    private static void SetThreads(Assembly benchmarks, int threads)
    {
        Type gemm = GemmType(benchmarks);
        gemm.GetProperty("MaxDegreeOfParallelism")!.SetValue(null, threads);
        gemm.GetProperty("AdaptiveParallelism")?.SetValue(null, !s_fixedThreads);
    }

    /// <summary>One GEMM shape through the public <c>Gemm.Compute</c> on <paramref name="threads"/> threads; the action
    /// makes 100 calls per unit.</summary>
    private static unsafe Action<int> GemmCalls(Assembly benchmarks, string shape, int threads)
    {
        (int m, int k, int n) = Dimensions(shape);
        string[] parts = shape.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        SetThreads(benchmarks, threads);
        Compute compute = GemmType(benchmarks).GetMethod("Compute")!.CreateDelegate<Compute>();
        bool ta = parts[0] == "AtB";
        bool tb = parts[0] == "ABt";
        var rng = new Random(1);
        float* a = AlignedOperand(rng, m * k);
        float* b = AlignedOperand(rng, k * n);
        float* c = AlignedOperand(null, m * n);
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        Action<int> run = units =>
        {
            for (int u = 0; u < units * 100; u++)
            {
                compute(ta, tb, m, n, k, new ReadOnlySpan<float>(a, m * k), lda, new ReadOnlySpan<float>(b, k * n), ldb, new Span<float>(c, m * n), n, false);
            }
        };
        run(20);
        return run;
    }

    /// <summary>M, K and N of a --gemm shape, 'AB|AtB|ABt MxKxN'.</summary>
    private static (int M, int K, int N) Dimensions(string shape)
    {
        string[] parts = shape.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] dims = parts.Length == 2 ? parts[1].Split('x') : [];
        if (parts.Length != 2 || parts[0] is not ("AB" or "AtB" or "ABt") || dims.Length != 3
            || !int.TryParse(dims[0], CultureInfo.InvariantCulture, out int m) || !int.TryParse(dims[1], CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(dims[2], CultureInfo.InvariantCulture, out int n) || m < 1 || k < 1 || n < 1)
        {
            throw new StepCompareException($"--gemm '{shape}': expected 'AB|AtB|ABt MxKxN' with positive M, K, N, e.g. 'AB 64x5x128'.");
        }

        return (m, k, n);
    }

    /// <summary>The signature of <c>Gemm.MultiplyBiasActivation</c>, over the build's own Matrix and Activation types.</summary>
    private delegate void BiasActivation<TMatrix, TActivation>(TMatrix a, TMatrix b, ReadOnlySpan<float> bias, TMatrix c, TActivation activation, float slope);

    /// <summary>One fused dense product, C = act(A·B + bias), through the public <c>Gemm.MultiplyBiasActivation</c> on
    /// <paramref name="threads"/> threads; the action makes 100 calls per unit.</summary>
    private static Action<int> FusedCalls(Assembly benchmarks, string shape, string activation, int threads)
    {
        (int m, int k, int n) = Dimensions(shape);
        SetThreads(benchmarks, threads);
        Type gemm = GemmType(benchmarks);
        MethodInfo fused = gemm.GetMethod("MultiplyBiasActivation") ?? throw new StepCompareException("Gemm.MultiplyBiasActivation not found.");
        Type matrix = fused.GetParameters()[0].ParameterType;
        Type kind = fused.GetParameters()[4].ParameterType;
        if (!Enum.TryParse(kind, activation, ignoreCase: true, out object? value) || !Enum.IsDefined(kind, value))
        {
            throw new StepCompareException($"--activation '{activation}': expected one of {string.Join(", ", Enum.GetNames(kind))}.");
        }

        var rng = new Random(1);
        object a = Operand(matrix, m, k, rng);
        object b = Operand(matrix, k, n, rng);
        object c = Operand(matrix, m, n, null);
        float[] bias = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f)];
        MethodInfo bind = typeof(Program).GetMethod(nameof(BindFused), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(matrix, kind);
        var run = (Action<int>)bind.Invoke(null, [fused, a, b, bias, c, value])!;
        run(20);
        return run;
    }

    private static Action<int> BindFused<TMatrix, TActivation>(MethodInfo fused, TMatrix a, TMatrix b, float[] bias, TMatrix c, TActivation activation)
    {
        var call = fused.CreateDelegate<BiasActivation<TMatrix, TActivation>>();
        return units =>
        {
            for (int u = 0; u < units * 100; u++)
            {
                call(a, b, bias, c, activation, 0.2f);
            }
        };
    }

    /// <summary>A rows × columns Matrix of the build, uniform in [-0.5, 0.5) or, without a generator, zero (a Matrix
    /// allocates its storage aligned, as <see cref="AlignedOperand"/> does).</summary>
    private static object Operand(Type matrix, int rows, int columns, Random? rng)
    {
        object x = Activator.CreateInstance(matrix, rows, columns) ?? throw new StepCompareException("Matrix(rows, columns) not found.");
        MethodInfo set = matrix.GetMethod("set_Item", [typeof(int), typeof(int), typeof(float)]) ?? throw new StepCompareException("Matrix's indexer not found.");
        for (int i = 0; rng is not null && i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                set.Invoke(x, [i, j, (float)rng.NextDouble() - 0.5f]);
            }
        }

        return x;
    }

    /// <summary>A 64-byte-aligned block of <paramref name="length"/> floats, uniform in [-0.5, 0.5) or, without a
    /// generator, zero; never freed (the process ends with the comparison). Aligned as GanCore's <c>Matrix</c> allocates, so
    /// every copy sees its operands start on a cache line: arrays land wherever the heap puts them, and a start off the
    /// line splits vector loads across two lines. With arrays, two copies of one build differed by 1.3–1.45× in A·B
    /// 64×128×1 (benchmarks/RESULTS.md, thirty-first session).</summary>
    private static unsafe float* AlignedOperand(Random? rng, int length)
    {
        float* p = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
        for (int i = 0; i < length; i++)
        {
            p[i] = rng is null ? 0f : (float)rng.NextDouble() - 0.5f;
        }

        return p;
    }

    /// <summary>How long the JIT must stay idle before timing starts: longer than the runtime's 100 ms delay before it
    /// counts calls, 30 calls and the tier-1 compilation they trigger.</summary>
    private const int QuietMs = 300;

    /// <summary>Runs the four copies in turn, one unit each, until the runtime has compiled no method for
    /// <see cref="QuietMs"/> ms (at most 20 s), and returns the ms it took and whether the JIT went quiet. The copies loaded third and fourth ran
    /// tier-0 code (`perf`: <c>[QuickJitted]</c>); timed at once, their bursts of a short GEMM (a few ms in all) ended
    /// before the runtime recompiled it (Aᵀ·B 128×64×1: 18 µs a call against 0.6 in the other two copies).</summary>
    private static (double Milliseconds, bool Quiet) Settle(Action<int>[] work)
    {
        long start = Stopwatch.GetTimestamp();
        long quietSince = start;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (Stopwatch.GetElapsedTime(quietSince).TotalMilliseconds < QuietMs && Stopwatch.GetElapsedTime(start).TotalSeconds < 20)
        {
            foreach (Action<int> w in work)
            {
                w(1);
            }

            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }

        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, Stopwatch.GetElapsedTime(quietSince).TotalMilliseconds >= QuietMs);
    }

    /// <summary>Copy i of the four loaded (baseline, candidate, candidate, baseline) is of build 0 or 1.</summary>
    private static int Build(int copy) => copy is 0 or 3 ? 0 : 1;

    private static void Report(DirectoryInfo[] dirs, int[] threads, Action<int>[] work, int rounds, int burst, string unit, int perUnit)
    {
        var times = new List<double>[] { [], [] };
        var copies = new List<double>[] { [], [], [], [] };
        var ratios = new List<double>();
        var round = new double[4];
        for (int r = 0; r < rounds; r++)
        {
            // The four copies in a rotating order, so no copy always runs first after the others.
            for (int j = 0; j < 4; j++)
            {
                int i = (j + r) % 4;
                long start = Stopwatch.GetTimestamp();
                work[i](burst);
                round[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / (burst * perUnit);
                times[Build(i)].Add(round[i]);
                copies[i].Add(round[i]);
            }

            ratios.Add((round[1] + round[2]) / (round[0] + round[3]));

            if ((r + 1) % 10 == 0)
            {
                Console.Error.Write($"\r{r + 1}/{rounds} rounds");
            }
        }

        Console.Error.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline  {dirs[0].FullName}, {threads[0]} thread(s): median {Quantile(times[0], 0.5):F3} {unit} (10th percentile {Quantile(times[0], 0.1):F3})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidate {dirs[1].FullName}, {threads[1]} thread(s): median {Quantile(times[1], 0.5):F3} {unit} (10th percentile {Quantile(times[1], 0.1):F3})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidate / baseline, round by round: median {Quantile(ratios, 0.5):F3}, 10th–90th percentile {Quantile(ratios, 0.1):F3}–{Quantile(ratios, 0.9):F3} ({rounds} rounds of {burst})"));
        double[] medians = [.. copies.Select(c => Quantile(c, 0.5))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copies (baseline, candidate, candidate, baseline): medians {string.Join(", ", medians.Select(m => m.ToString("F3", CultureInfo.InvariantCulture)))} {unit}"));
        foreach ((int x, int y) in new[] { (0, 3), (1, 2) })
        {
            double slower = Math.Max(medians[x], medians[y]) / Math.Min(medians[x], medians[y]);
            if (slower > TwinTolerance)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: the two copies of the {(x == 0 ? "baseline" : "candidate")} differ by {slower:F2}× (copy {(medians[x] > medians[y] ? x : y) + 1} of 4 slower): one may be running unoptimized code or the host changed speed; the ratio above is not a measurement of the builds. Run again."));
            }
        }
    }

    /// <summary>How much slower one copy of a build may run than the other before the report flags the run: the same
    /// code in the same process, so on a steady host the medians agree within a few percent.</summary>
    private const double TwinTolerance = 1.10;

    private static double Quantile(IEnumerable<double> values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}

/// <summary>A problem with the command line or the builds, reported as one line and exit code 2.</summary>
internal sealed class StepCompareException(string message) : Exception(message);

using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using GanCore.Adversarial;
using GanCore.Kernels;

namespace StepWarmup;

/// <summary>A method compiled during step 1, how long its compilation took, and whether the step's own thread compiled it.</summary>
internal readonly record struct StepCompilation(string Method, double Ms, bool OnStepThread);

/// <summary>What step 1 compiled, and, when type loads were listened to, the types its own thread loaded outside the
/// JIT's compilations (else empty): what precompiled code, or the runtime's own work, asked for.</summary>
internal sealed record StepOne(List<StepCompilation> Compiled, IReadOnlyList<string> TypesOnStepThread);

/// <summary>A type loaded outside the JIT's compilations, with the precompiled method its thread bound next (the method
/// whose first call asked for it: a method's fixups are resolved before it is bound), if any.</summary>
internal readonly record struct TypeLoad(string Type, string? Before);

/// <summary>
/// Where the compile time of step 1 goes, method by method: the runtime's own JIT events
/// (<c>MethodJittingStarted</c>, then <c>MethodLoadVerbose</c> when the code is ready), caught in-process by an
/// <see cref="EventListener"/> while the first <see cref="Gan.Step"/> runs. The time between the two events of a
/// method is its compile time; a method the JIT inlines into another costs its caller's time and is not listed.
/// </summary>
internal static class JitReport
{
    /// <summary>Takes step 1 of <paramref name="gan"/> and prints the <paramref name="top"/> slowest compilations and the
    /// totals by group (GEMM micro-kernels, the GEMM engine, the rest of GanCore, everything else). Returns the methods
    /// compiled during the step, each with whether the step's own thread compiled it: the runtime's other threads compile
    /// too while the step runs (the tiering thread's optimized recompiles, and the runtime's managed helpers that those
    /// first need), and only the step's thread waits for its own compilations.</summary>
    /// <param name="gan">The freshly built GAN whose step 1 is measured.</param>
    /// <param name="top">How many of the slowest compilations (and, with <paramref name="loads"/>, type loads) to list.</param>
    /// <param name="loads">Also print the types step 1 loaded and the precompiled methods it bound.</param>
    /// <param name="listenForLoads">Listen for type loads (for the caller's checks) even without printing them.</param>
    /// <param name="timeline">With <paramref name="loads"/>: also write step 1's type loads and bindings to this file, in
    /// the order the runtime reported them.</param>
    public static StepOne Print(Gan gan, int top, bool loads, bool listenForLoads = false, FileInfo? timeline = null)
    {
        using var listener = new JitListener(loads || listenForLoads);
        listener.WarmUp();
        MinorFaults(); // its first call compiles it and binds the framework's file reading: not step 1's work
        Thread.Sleep(100); // let the listener's own setup compile before measuring
        long faults0 = MinorFaults();
        DateTime from = DateTime.UtcNow;
        long start = Stopwatch.GetTimestamp();
        gan.Step();
        double stepMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long faultsAfter = MinorFaults();
        long faults = faultsAfter < 0 ? -1 : faultsAfter - faults0;
        DateTime to = DateTime.UtcNow;

        // The runtime hands its events to the listener on another thread, later: compile one more method after the step
        // and wait for its event, so that every event of the step has arrived before the step's window is read.
        // The sentinel is compiled at its first call, on this thread, the step's.
        Sentinel();
        long stepThread = listener.WaitFor(nameof(Sentinel), TimeSpan.FromSeconds(20));
        if (stepThread < 0)
        {
            throw new InvalidOperationException("The JIT events did not arrive within 20 s; the report would be incomplete.");
        }

        List<StepCompilation> done = [.. listener.Completed(from, to).Select(c => new StepCompilation(c.Method, c.Ms, c.Thread == stepThread))];
        int others = done.Count(d => !d.OnStepThread);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step 1: {stepMs:F1} ms; {done.Count} methods compiled in {done.Sum(d => d.Ms):F1} ms{(others > 0 ? $" ({others} of them on other threads)" : "")}; {(faults0 < 0 || faults < 0 ? "page faults not readable here" : $"{faults:N0} minor page faults")}"));
        Console.WriteLine("| JIT ms | method | thread |");
        Console.WriteLine("|---:|---|---|");
        foreach ((string method, double ms, bool onStep) in done.OrderByDescending(d => d.Ms).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ms:F2} | {method} | {(onStep ? "step" : "other")} |"));
        }

        (List<(long TypeId, string Type, double Ms, long Thread, bool DuringJit)> types, List<string> bound) = listener.Loads(from, to);
        if (loads)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step 1 also loaded {types.Select(t => t.TypeId).Distinct().Count()} types ({types.Count} loads: a type can be taken through several load levels; loads nest, so their times overlap, and the events themselves slow them down) and bound {bound.Count} precompiled methods ({bound.Count(b => b.StartsWith("GanCore.", StringComparison.Ordinal))} of GanCore's); slowest loads:"));
            Console.WriteLine("| load ms | type |");
            Console.WriteLine("|---:|---|");
            foreach ((_, string type, double ms, _, _) in types.OrderByDescending(t => t.Ms).Take(top))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ms:F2} | {type} |"));
            }
        }

        if (timeline is not null)
        {
            File.WriteAllLines(timeline.FullName, listener.Timeline(from, to, stepThread).Select(e => string.Create(CultureInfo.InvariantCulture, $"{(e.At - from).TotalMilliseconds,8:F3} ms  {e.What}")));
            Console.WriteLine($"step 1's type loads and bindings, in order: {timeline.FullName}");
        }

        Console.WriteLine();
        Console.WriteLine("| group | methods | JIT ms |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var g in done.GroupBy(d => Group(d.Method)).OrderByDescending(g => g.Sum(d => d.Ms)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {g.Key} | {g.Count()} | {g.Sum(d => d.Ms):F1} |"));
        }

        return new StepOne(done, [.. types.Where(t => t.Thread == stepThread && !t.DuringJit).Select(t => t.Type).Distinct()]);
    }

    /// <summary>
    /// The check behind <c>--expect-precompiled</c>: when GanCore.dll is a ReadyToRun image, step 1 must compile none of
    /// GanCore's methods (their precompiled code must have been used: the GEMM kernels and engine, the logistic and log
    /// kernels, the layers and the step itself), and no framework method beyond <see cref="FrameworkMethodsOfStepOne"/>:
    /// a generic helper GanCore starts to call in step 1 (<c>Array.Fill</c> on a <c>long[]</c>, LINQ's
    /// <c>Enumerable.Repeat</c>) is compiled there, 0.1–0.7 ms each, and six of them took the first 500 steps from 1.9 to
    /// 2.0–2.1 times the steady step (benchmarks/RESULTS.md, forty-fifth session). Returns the process exit code: 0 when
    /// the check passes or does not apply (an IL-only build), 1 when it fails.
    /// </summary>
    public static int CheckPrecompiled(List<StepCompilation> compiled)
    {
        string path = typeof(Gan).Assembly.Location;
        if (!IsReadyToRun(path))
        {
            Console.WriteLine($"precompiled kernels: {path} is IL only (a build with GanCoreReadyToRun off), nothing to check.");
            return 0;
        }

        // Only what the step's own thread compiled counts. The seed step splits no product, so all of its code runs on that
        // thread; meanwhile the tiering thread's optimized recompiles of startup code, and the runtime's managed helpers
        // they first need (StaticsHelpers.GetGCStaticBase, GenericsHelpers.ClassWithSlotAndModule), fall into the step
        // now and then, more often on a loaded or emulated machine (CI's arm64 run under qemu failed on them).
        string[] onStep = [.. compiled.Where(c => c.OnStepThread).Select(c => c.Method)];
        string[] kernels = onStep.Where(m => Group(m) is not "framework and others").Distinct().Order().ToArray();
        // (The shared array pool's trimming, which runs after a full collection whenever one falls, is not among them: its
        // Gen2 callback runs on the finalizer thread.)
        string[] framework = onStep.Where(m => m.StartsWith("System.", StringComparison.Ordinal) && !FrameworkMethodsOfStepOne.Contains(m))
            .Distinct().Order().ToArray();
        if (kernels.Length == 0 && framework.Length == 0)
        {
            Console.WriteLine($"precompiled kernels: {path} is a ReadyToRun image, and step 1 compiled none of GanCore's methods and no framework method but the {FrameworkMethodsOfStepOne.Count} it always has.");
            return 0;
        }

        if (kernels.Length == 0)
        {
            Console.Error.WriteLine($"step 1 compiled {framework.Length} framework method(s) it did not before, each a share of the first 500 steps' time: a generic helper GanCore now calls in the first step (replace it with a plain loop) or, after a runtime update, a method to add to JitReport.FrameworkMethodsOfStepOne:");
            foreach (string f in framework)
            {
                Console.Error.WriteLine($"  {f}");
            }

            return 1;
        }

        Console.Error.WriteLine($"precompiled kernels: {path} is a ReadyToRun image, but step 1 compiled {kernels.Length} of GanCore's methods, so crossgen2 left them out or the runtime rejected their code (docs/kernels.md, \"Warm-up\", lists what causes either):");
        foreach (string k in kernels)
        {
            Console.Error.WriteLine($"  {k}");
        }

        return 1;
    }

    /// <summary>The framework's non-generic vector classes, whose methods the kernels must not call on a step's path.</summary>
    private static readonly string[] VectorHelperClasses =
    [
        "System.Runtime.Intrinsics.Vector64",
        "System.Runtime.Intrinsics.Vector128",
        "System.Runtime.Intrinsics.Vector256",
        "System.Runtime.Intrinsics.Vector512",
    ];

    /// <summary>
    /// The third check behind <c>--expect-precompiled</c>, on the types step 1's thread loads outside the JIT's compilations:
    /// no vector type wider than the CPU's widest (<see cref="WidestVectorBits"/>: a <c>Vector512&lt;T&gt;</c>,
    /// <c>Simd512</c> or <c>Vec512</c> on an x86 CPU without AVX-512, a 256-bit one on one without AVX or on Arm64), which
    /// only a method naming another width's code loads (the logistic kernel's loop for both widths, a
    /// <c>typeof(TS) == typeof(Simd512)</c> test: 0.4–2.5 ms of step 1 on the package's narrower images, sixty-eighth
    /// session; a wider width's inlined kernel under a <c>KernelDispatch.Runs512</c> guard, which the Arm64 image
    /// compiled before dropping it, sixty-ninth session), and none of the framework's non-generic vector classes (<see cref="VectorHelperClasses"/>). crossgen2 inlines helpers such as
    /// <c>Vector512.Load</c>, <c>Vector512.Store</c> (also as the <c>value.Store(p)</c> extension),
    /// <c>Vector512.BitwiseAnd</c> or <c>CopyTo</c> from the framework's IL and has the runtime check that IL when the
    /// method is first called (a <c>Check_IL_Body</c> fixup), which loads the class: 0.4–0.5 ms of step 1 on a Zen 5 guest
    /// (benchmarks/RESULTS.md, sixty-eighth session). The hardware intrinsics (<c>Avx512F.LoadVector512</c>,
    /// <c>Avx512F.Store</c>), <c>LoadUnsafe</c> / <c>StoreUnsafe</c> and the vectors' operators need no such check.
    /// Returns 0 when the check passes or does not apply, 1 when it fails.
    /// </summary>
    public static int CheckVectorTypes(StepOne stepOne)
    {
        string path = typeof(Gan).Assembly.Location;
        if (!IsReadyToRun(path))
        {
            return 0;
        }

        int widest = WidestVectorBits();
        string[] loaded = [.. VectorHelperClasses.Where(stepOne.TypesOnStepThread.Contains)];
        string[] wider = [.. stepOne.TypesOnStepThread.Where(t => WidthOf(t) > widest).Distinct().Order()];
        if (loaded.Length + wider.Length == 0)
        {
            Console.WriteLine($"vector types: step 1 loaded none of the framework's non-generic vector classes and no vector type wider than this CPU's {widest} bits ({stepOne.TypesOnStepThread.Count} types loaded on its thread).");
            return 0;
        }

        Report(loaded, "step 1", HelperCause);
        Report(wider, "step 1", $"vector type(s) wider than this CPU's {widest} bits, which no code it runs here uses: {WiderCause}");
        return 1;
    }

    /// <summary>
    /// <c>--sweep</c>, which CI runs next to <c>--expect-precompiled</c> on every image: <see cref="CheckVectorTypes"/>'s rules
    /// for the work of <see cref="WidthSweep"/> (GanCore's products over a grid of shapes, MLPs and GANs of other shapes
    /// and options), on every thread, so that a method the seed GAN's step 1 never calls is held to them too. A fresh
    /// process, so that no type is already loaded by step 1, or by the JIT compiling something, before the sweep's own
    /// code asks for it. Returns 0 when the check passes or does not apply (an IL-only build), 1 when it fails.
    /// </summary>
    public static int Sweep()
    {
        if (!IsReadyToRun(typeof(Gan).Assembly.Location))
        {
            Console.WriteLine("sweep: GanCore.dll is not a ReadyToRun image; nothing to check.");
            return 0;
        }

        using var listener = new JitListener(loads: true);
        listener.WarmUp();
        Thread.Sleep(100);
        int widest = WidestVectorBits();

        // The checked part: the products, MLPs and GANs without an exponential.
        (List<TypeLoad> types, List<(string Method, double Ms, long Thread, int Tier)> jitted) = Window(listener, WidthSweep.Run, SweepSentinel);
        List<(string Method, double Ms, long Thread, int Tier)> first = PrintJitted("sweep", jitted);
        string[] loaded = [.. types.Where(t => VectorHelperClasses.Contains(t.Type)).Select(Describe).Distinct().Order()];
        string[] wider = [.. types.Where(t => WidthOf(t.Type) > widest).Select(Describe).Distinct().Order()];

        // On a CPU with AVX but not AVX2 the 256-bit routes (SimdAvx) take Simd256's helpers at a tile's edges (masks, max,
        // select, sums), where the framework implements Vector256 in software and precompiled code checks those helpers'
        // IL at run time, loading the Vector256 class (a micro-kernel's first call, on the x86-64-v2-avx image): by design,
        // so reported there, not checked (benchmarks/RESULTS.md, sixty-ninth session).
        bool excused = loaded.Length > 0 && Avx.IsSupported && !Avx2.IsSupported;
        if (excused)
        {
            Console.WriteLine($"sweep (AVX without AVX2; reported, not checked): loaded {string.Join("; ", loaded)}.");
            loaded = [];
        }

        int result = FailOnFirstCompilations(first, "the products, MLPs and GANs of the sweep");
        if (loaded.Length + wider.Length == 0)
        {
            Console.WriteLine($"vector types beyond step 1: the products, MLPs and GANs of the sweep loaded no vector type wider than this CPU's {widest} bits and none of the framework's non-generic vector classes{(excused ? " but the one reported above" : "")} ({types.Count} type loads outside the JIT, on every thread).");
        }
        else
        {
            Report(loaded, "the sweep", HelperCause);
            Report(wider, "the sweep", $"vector type(s) wider than this CPU's {widest} bits: {WiderCause}");
            result = 1;
        }

        // The sigmoid and tanh activations apart (WidthSweep.RunExponentials), after the checked part so that what they
        // load cannot hide a load of its: the same rules on vector types, and one more, that the image holds all their
        // code (GanCore's own exponential, seventieth session).
        (List<TypeLoad> expTypes, List<(string Method, double Ms, long Thread, int Tier)> expJitted) = Window(listener, WidthSweep.RunExponentials, ExponentialSentinel);
        List<(string Method, double Ms, long Thread, int Tier)> expFirst = PrintJitted("sigmoid and tanh", expJitted);
        string[] expLoaded = [.. expTypes.Where(t => VectorHelperClasses.Contains(t.Type)).Select(Describe).Distinct().Order()];
        string[] expWider = [.. expTypes.Where(t => WidthOf(t.Type) > widest).Select(Describe).Distinct().Order()];
        if (expLoaded.Length + expWider.Length == 0)
        {
            Console.WriteLine($"sigmoid and tanh: loaded no vector type wider than this CPU's {widest} bits and none of the framework's non-generic vector classes ({expTypes.Count} type loads outside the JIT).");
        }
        else
        {
            Report(expLoaded, "the sigmoid and tanh products", HelperCause);
            Report(expWider, "the sigmoid and tanh products", $"vector type(s) wider than this CPU's {widest} bits: {WiderCause}");
            result = 1;
        }

        return result | FailOnFirstCompilations(expFirst, "the sigmoid and tanh work");
    }

    /// <summary>Prints a failed rule when the JIT compiled any of GanCore's methods for <paramref name="what"/> at their
    /// first call, and returns 1; 0 when it compiled none.</summary>
    private static int FailOnFirstCompilations(List<(string Method, double Ms, long Thread, int Tier)> first, string what)
    {
        if (first.Count == 0)
        {
            return 0;
        }

        Console.WriteLine($"FAIL: the JIT compiled {first.Count} of GanCore's methods for {what} at their first call, code the image lacks: {string.Join(", ", first.Select(j => j.Method).Distinct().Order().Take(10))}. crossgen2 leaves a method out when a call it does not inline passes a vector by value, or when it cannot tell whether a static virtual call through a constrained type inlines (its --verbose output names the call); keep such helpers inlined or pass the vector by reference, call nothing of the framework's that takes a vector, and store scalars through the vector widths' code (docs/kernels.md, \"Warm-up\").");
        return 1;
    }

    /// <summary>Runs <paramref name="work"/> and returns the types loaded outside the JIT's compilations meanwhile, on
    /// every thread, and GanCore's methods the JIT compiled; <paramref name="sentinel"/>, compiled after the work, marks
    /// the end of its events.</summary>
    private static (List<TypeLoad> Types, List<(string Method, double Ms, long Thread, int Tier)> Jitted) Window(JitListener listener, Action work, Func<int> sentinel)
    {
        DateTime from = DateTime.UtcNow;
        work();
        sentinel();
        if (listener.WaitFor(sentinel.Method.Name, TimeSpan.FromSeconds(60)) < 0)
        {
            throw new InvalidOperationException("The sweep's JIT events did not arrive within 60 s; the check would be incomplete.");
        }

        DateTime to = DateTime.UtcNow;
        return (listener.LoadsOutsideJit(from, to), [.. listener.CompletedWithTier(from, to).Where(c => c.Method.StartsWith("GanCore.", StringComparison.Ordinal))]);
    }

    /// <summary>
    /// Prints and returns GanCore's methods the JIT compiled for the work at their first call (tier 0, or optimized at
    /// once), which the image lacks, and counts apart the recompilations of hot methods (tier 1, and on-stack replacement
    /// of a tier-0 loop) that follow in the background. crossgen2 leaves a method out when a call it does not inline
    /// passes a vector by value across the version bubble (the framework's <c>Vector512.Exp</c> in the sigmoid and tanh
    /// epilogues, until the seventieth session) or to one of GanCore's helpers (benchmarks/RESULTS.md, sixty-ninth
    /// session) or when it cannot tell whether a static virtual call at the scalar width inlines (the streaming route's
    /// element-by-element store, until the seventy-first session). Its caller fails on any
    /// (<see cref="FailOnFirstCompilations"/>).
    /// </summary>
    private static List<(string Method, double Ms, long Thread, int Tier)> PrintJitted(string what, List<(string Method, double Ms, long Thread, int Tier)> jitted)
    {
        // MethodFlags' optimization tiers: 1 MinOpts, 2 optimized, 3 tier 0, 6 tier 0 instrumented are first
        // compilations; 4 tier 1, 5 tier-1 OSR, 7 tier 1 instrumented recompile code that already ran.
        List<(string Method, double Ms, long Thread, int Tier)> first = [.. jitted.Where(j => j.Tier is not (4 or 5 or 7))];
        List<(string Method, double Ms, long Thread, int Tier)> again = [.. jitted.Where(j => j.Tier is 4 or 5 or 7)];
        string slowest = first.Count == 0 ? "" : $", slowest {string.Join(", ", first.OrderByDescending(j => j.Ms).Take(3).Select(j => string.Create(CultureInfo.InvariantCulture, $"{j.Method} {j.Ms:F1} ms")))}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: the JIT compiled {first.Count} of GanCore's methods at their first call, code the image lacks ({first.Sum(j => j.Ms):F0} ms{slowest}), and recompiled {again.Count} hot ones (tier 1 or OSR, {again.Sum(j => j.Ms):F0} ms); checked: none may be a first compilation."));
        return first;
    }

    /// <summary>Why a check finds one of the framework's non-generic vector classes loaded, and what to do.</summary>
    private const string HelperCause = "of the framework's non-generic vector classes, which a vector helper loads where precompiled code checks the helper's IL at run time (Vector512.Load, Store, BitwiseAnd, CopyTo and the like); use the hardware intrinsic (Avx512F.LoadVector512, Avx512F.Store), LoadUnsafe / StoreUnsafe or the operators instead (docs/kernels.md, \"Warm-up\")";

    /// <summary>Why a check finds a vector type wider than the CPU's loaded, and what to do (the causes found so far).</summary>
    private const string WiderCause = "a method it runs names them, and precompiled code loads every vector type a method names at its first call: a wider width's branch or locals in a method every host runs (move them into a method of their own), a wider kernel inlined behind a guard the JIT folds only after inlining, such as KernelDispatch.Runs512 or a local (call it instead, or test the instruction set's IsSupported first), or a typeof test of a wider SIMD type or tile (docs/kernels.md, \"Warm-up\")";

    private static string Describe(TypeLoad load) => load.Before is null ? load.Type : $"{load.Type}, at the first call of {load.Before}";

    /// <summary>Prints a failed rule: who loaded how many types of which kind, and the types.</summary>
    private static void Report(string[] types, string who, string what)
    {
        if (types.Length == 0)
        {
            return;
        }

        Console.Error.WriteLine($"vector types: {who} loaded {types.Length} {what}:");
        foreach (string t in types)
        {
            Console.Error.WriteLine($"  {t}");
        }
    }

    /// <summary>The widest vectors this CPU's instructions give GanCore's kernels: 512 bits with AVX-512 (F, VL, BW, CD,
    /// DQ), 256 with AVX, else 128 (SSE, or Arm64's AdvSimd). Asked of the instruction sets, as the kernels' dispatch
    /// asks them, not of <c>Vector512.IsHardwareAccelerated</c>, which answers the runtime's preference. Asked here rather
    /// than read from <c>KernelDispatch.HardwareWidth</c> on purpose, as <see cref="CheckLeftOut"/> does: a wrong width
    /// condition in GanCore must fail the check, not set its bar.</summary>
    private static int WidestVectorBits() =>
        Avx512F.IsSupported && Avx512F.VL.IsSupported
            && Avx512BW.IsSupported && Avx512CD.IsSupported
            && Avx512DQ.IsSupported ? 512
        : Avx.IsSupported ? 256
        : 128;

    /// <summary>The vector width, in bits, a loaded type's name stands for (the framework's generic vectors, GanCore's
    /// SIMD types and their vectors), or 0 for any other type.</summary>
    private static int WidthOf(string type) =>
        type.StartsWith("System.Runtime.Intrinsics.Vector512`1", StringComparison.Ordinal) || type is "GanCore.Kernels.Simd512" or "GanCore.Kernels.Vec512" ? 512
        : type.StartsWith("System.Runtime.Intrinsics.Vector256`1", StringComparison.Ordinal) || type is "GanCore.Kernels.Simd256" or "GanCore.Kernels.SimdAvx" or "GanCore.Kernels.Vec256" ? 256
        : 0;

    /// <summary>The one namespace the second check leaves out: an image holds only the vector widths its level accelerates (a
    /// v3 image has no AVX-512 packing), so preparing the kernels of the other widths would compile them though they never
    /// run there, and the step-1 check above covers the kernels a step runs.</summary>
    private const string KernelNamespace = "GanCore.Kernels";

    /// <summary>
    /// The second check of <c>--expect-precompiled</c>, for what the seed GAN's step 1 does not run (the other layers,
    /// losses, objectives and optimizers, and the code that runs once per use: checkpoints, data, diagnostics, theory):
    /// when GanCore.dll is a ReadyToRun image, every non-generic method of every GanCore namespace but
    /// <see cref="KernelNamespace"/>, prepared with <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>,
    /// must take the image's code, so that this thread's count of JIT compilations does not move. A method whose code the
    /// runtime refuses starts at tier 0 (in the x86-64-v4 image, one with a float-to-integer cast or <c>Math.Max</c> needs
    /// AVX10.2, which no CPU measured has: <c>ScalarMath</c>, benchmarks/RESULTS.md, fifty-first session). Left out:
    /// methods that take or return a vector (crossgen2 compiles them only into their callers) and throw helpers
    /// (<see cref="DoesNotReturnAttribute"/>, cold by design). Returns the exit code: 0 when every method passes or the
    /// build is IL only, 1 otherwise.
    /// </summary>
    public static int CheckOutsideKernels()
    {
        Assembly gancore = typeof(Gan).Assembly;
        if (!IsReadyToRun(gancore.Location))
        {
            return 0;
        }

        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var compiled = new List<string>();
        int prepared = 0;
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type type in gancore.GetTypes().Where(t => !t.ContainsGenericParameters && t.Namespace is { } n && n.StartsWith("GanCore.", StringComparison.Ordinal) && n != KernelNamespace))
        {
            foreach (MethodBase method in type.GetMethods(Declared).Concat<MethodBase>(type.GetConstructors(Declared)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null
                    || method.IsDefined(typeof(DoesNotReturnAttribute), inherit: false)
                    || method.GetParameters().Any(p => IsVector(p.ParameterType)) || (method is MethodInfo m && IsVector(m.ReturnType)))
                {
                    continue;
                }

                long before = JitInfo.GetCompiledMethodCount(currentThread: true);
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                prepared++;
                namespaces.Add(type.Namespace!);
                if (JitInfo.GetCompiledMethodCount(currentThread: true) != before)
                {
                    compiled.Add($"{type.FullName}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})");
                }
            }
        }

        if (compiled.Count == 0)
        {
            Console.WriteLine($"outside the kernels: all {prepared} methods of {string.Join(", ", namespaces)} (every namespace but {KernelNamespace}) that crossgen2 compiles on their own run the image's code.");
            return 0;
        }

        Console.Error.WriteLine($"outside the kernels: {compiled.Count} of {prepared} methods were compiled by the JIT instead of taken from the image, so the runtime refused their code or crossgen2 left them out (docs/kernels.md, \"Warm-up\"):");
        foreach (string c in compiled)
        {
            Console.Error.WriteLine($"  {c}");
        }

        return 1;
    }

    /// <summary>
    /// The third check of <c>--expect-precompiled</c>: the kernels an image must leave out on this CPU are not in it.
    /// Where a wider width runs (AVX2 for the 128-bit engine, any vector width for the scalar one), the 128-bit and scalar
    /// GEMM engines sit behind <see cref="KernelCompilation.UnderCap"/>'s doors, which only a
    /// test's width cap opens; without AVX-512 the column tiles (<see cref="GemmColumnTiles"/>) sit behind
    /// <c>ColumnTileRows</c>' test, and without AVX and FMA the few-row A·Bᵀ tiles (<c>FewRows</c>) behind the inlined
    /// <c>TakesFewRows</c>; where the CPU loads broadcasts (x64 with AVX, Arm64) the splatted-A route (<c>SplatRows</c>,
    /// <c>AccumulateSplatted</c>) behind the doors only a test's <c>ForceSplat</c> opens. Each such method, prepared with
    /// <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/> after step 1, must be compiled by the JIT, so that
    /// this thread's count of JIT compilations moves; found in the image, it means a dispatch calls it again outside its
    /// door, or a guard has moved where the compiler cannot fold it (docs/kernels.md, "Precompiled kernels"). The engine of
    /// the host's own width (and, on x64 without AVX, the splatted route) is prepared first and must take the image's
    /// code, or the check itself would prove nothing.
    /// Returns the exit code: 0 when every method passes or the build is IL only, 1 otherwise.
    /// </summary>
    public static int CheckLeftOut()
    {
        if (!IsReadyToRun(typeof(Gan).Assembly.Location))
        {
            return 0;
        }

        Type[] epilogues = [typeof(OverwriteEpilogue), typeof(OverwriteEpilogue), typeof(AccumulateEpilogue), typeof(AccumulateEpilogue)];
        MethodInfo execute = typeof(GemmEngine).GetMethod("Execute", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new MissingMethodException(nameof(GemmEngine), "Execute");
        MethodInfo Engine(Type simd, Type vector) => execute.MakeGenericMethod([simd, vector, .. epilogues]);
        MethodInfo own = KernelDispatch.HardwareWidth switch
        {
            VectorWidth.Bits512 => Engine(typeof(Simd512), typeof(Vec512)),
            VectorWidth.Bits256 => Engine(typeof(Simd256), typeof(Vec256)),
            VectorWidth.Bits128 => Engine(typeof(Simd128), typeof(Vec128)),
            _ => Engine(typeof(SimdScalar), typeof(float)),
        };
        var leftOut = new List<MethodInfo>();
        // Asked of the instruction sets, not of CapOnly128 and CapOnlyScalar themselves, so a door whose condition went wrong
        // fails here too: wherever a wider width runs, only a cap reaches the narrower engines.
        if (KernelDispatch.Runs256)
        {
            leftOut.Add(Engine(typeof(Simd128), typeof(Vec128)));
        }

        if (KernelDispatch.Runs128)
        {
            leftOut.Add(Engine(typeof(SimdScalar), typeof(float)));
        }

        if (!GemmColumnTiles.IsSupported)
        {
            leftOut.Add((typeof(GemmColumnTiles).GetMethod(nameof(GemmColumnTiles.Run), BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException(nameof(GemmColumnTiles), nameof(GemmColumnTiles.Run))).MakeGenericMethod(typeof(OverwriteEpilogue)));
        }

        if (!(Avx.IsSupported && Fma.IsSupported))
        {
            leftOut.Add((typeof(GemmEngine).GetMethod("FewRows", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new MissingMethodException(nameof(GemmEngine), "FewRows")).MakeGenericMethod(typeof(OverwriteEpilogue)));
        }

        // Where the CPU loads broadcasts (x64 with AVX, Arm64) only a test's ForceSplat takes the splatted route: its two
        // entries sit behind doors (GemmEngine.LoadsBroadcasts), asked here of the instruction sets too. On x64 without
        // AVX it is the route the 128-bit engine takes, so the image must hold them.
        MethodInfo[] splatted =
        [
            (typeof(GemmEngine).GetMethod("SplatRows", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new MissingMethodException(nameof(GemmEngine), "SplatRows")).MakeGenericMethod(typeof(OverwriteEpilogue)),
            (typeof(GemmStream).GetMethod("AccumulateSplatted", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new MissingMethodException(nameof(GemmStream), "AccumulateSplatted")).MakeGenericMethod(typeof(Simd128Splat)),
        ];
        var kept = new List<MethodInfo> { own };
        (Avx.IsSupported || !X86Base.IsSupported ? leftOut : kept).AddRange(splatted);

        static bool Compiles(MethodInfo method)
        {
            long before = JitInfo.GetCompiledMethodCount(currentThread: true);
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
            return JitInfo.GetCompiledMethodCount(currentThread: true) != before;
        }

        static string Name(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}<{string.Join(", ", m.GetGenericArguments().Select(t => t.Name))}>";
        List<string> missing = kept.Where(Compiles).Select(Name).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"left out of the image: the JIT compiled {string.Join(", ", missing)}, which this CPU runs and the image must hold (without the host's own engine, {Name(own)}, the check proves nothing).");
            return 1;
        }

        List<string> found = leftOut.Where(m => !Compiles(m)).Select(Name).ToList();
        if (found.Count == 0)
        {
            Console.WriteLine($"left out of the image: {(leftOut.Count == 0 ? "nothing to check on this CPU" : string.Join(", ", leftOut.Select(Name)))}{(leftOut.Count == 0 ? string.Empty : ", each compiled by the JIT when prepared")} ({string.Join(", ", kept.Select(Name))}, which this CPU runs, {(kept.Count == 1 ? "takes" : "take")} the image's code).");
            return 0;
        }

        Console.Error.WriteLine($"left out of the image: {found.Count} method(s) that only a width cap or a missing instruction set reaches are in it (docs/kernels.md, \"Precompiled kernels\"):");
        foreach (string f in found)
        {
            Console.Error.WriteLine($"  {f}");
        }

        return 1;
    }

    /// <summary>A SIMD vector type (the runtime's, or GanCore's wrappers <c>Vec512</c>, <c>Vec256</c>, <c>Vec128</c>), or a
    /// reference or pointer to one.</summary>
    private static bool IsVector(Type type) =>
        type.Namespace == "System.Runtime.Intrinsics"
        || (type.Namespace == "GanCore.Kernels" && type.Name.StartsWith("Vec", StringComparison.Ordinal))
        || (type.HasElementType && IsVector(type.GetElementType()!));

    /// <summary>The framework methods step 1 compiles with every precompiled image since the forty-second session: the
    /// CPUID query behind the cache sizes and blocking (a hardware intrinsic, never precompiled) and the tuple it
    /// returns.</summary>
    private static readonly HashSet<string> FrameworkMethodsOfStepOne =
    [
        "System.Runtime.Intrinsics.X86.X86Base.CpuId",
        "System.ValueTuple`4[System.Int32,System.Int32,System.Int32,System.Int32]..ctor",
    ];

    /// <summary>Whether the file is a ReadyToRun image: its CLI header points to a native (ReadyToRun) header.</summary>
    private static bool IsReadyToRun(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader is { } cor && cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>A method nothing calls before the step, so calling it after the step compiles it then.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Sentinel() => Environment.ProcessorCount + 1;

    /// <summary><see cref="Sentinel"/> for <see cref="Sweep"/>'s checked part.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SweepSentinel() => Environment.ProcessorCount + 2;

    /// <summary><see cref="Sentinel"/> for <see cref="Sweep"/>'s sigmoid and tanh part.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ExponentialSentinel() => Environment.ProcessorCount + 3;

    private static string Group(string method) =>
        method.StartsWith("GanCore.Kernels.GemmMicroKernels.", StringComparison.Ordinal) || method.StartsWith("GanCore.Kernels.GemmColumnTiles.", StringComparison.Ordinal) ? "GEMM micro-kernels"
        : method.StartsWith("GanCore.Kernels.GemmEngine.", StringComparison.Ordinal) ? "GEMM engine"
        : method.StartsWith("GanCore.", StringComparison.Ordinal) ? "rest of GanCore"
        : "framework and others";

    /// <param name="loads">Also listen for type loads and precompiled-method bindings (slower: the runtime formats a name
    /// for every type it builds). A field initializer keeps it, so it is set before the base constructor reports the
    /// runtime's event source (<see cref="OnEventSourceCreated"/>); keywords enabled later would not reach the runtime.</param>
    private sealed class JitListener(bool loads) : EventListener
    {
        private const EventKeywords JitKeyword = (EventKeywords)0x10;

        /// <summary>The runtime's TypeDiagnostic keyword: TypeLoadStart / TypeLoadStop around every type it builds.</summary>
        private const EventKeywords TypeKeyword = (EventKeywords)0x8000000000;

        /// <summary>The runtime's CompilationDiagnostic keyword: R2RGetEntryPoint when a precompiled method is first bound.</summary>
        private const EventKeywords ReadyToRunKeyword = (EventKeywords)0x2000000000;
        private readonly Dictionary<long, (DateTime Start, long Thread, bool DuringJit)> _typeStarted = new(4096);
        private readonly List<(long TypeId, string Type, DateTime Start, double Ms, long Thread, bool DuringJit)> _types = new(4096);

        /// <summary>Per thread, the compilations begun and not yet finished: a type that thread loads meanwhile is the
        /// JIT's (the methods it compiles name it), not precompiled code's.</summary>
        private readonly Dictionary<long, int> _jitting = [];
        private readonly List<(string Method, DateTime At)> _bound = new(4096);
        private readonly List<(DateTime At, long Thread, string What)> _events = new(8192);
        private readonly Dictionary<long, (string Method, DateTime Start, long Thread)> _started = [];
        private readonly List<(string Method, DateTime Start, double Ms, long Thread, int Tier)> _completed = [];
        private readonly Lock _lock = new();

        private readonly bool _loads = loads;

        /// <summary>Runs the bookkeeping once, before step 1.</summary>
        public void WarmUp()
        {
            // Run the bookkeeping once now, so its own compilation (dictionary inserts, the name formatting) does not
            // land inside step 1.
            object[] dummy = [0L, 0L, 0, 0, "warm", "up"];
            string method = $"{dummy[4]}.{dummy[5]}";
            lock (_lock)
            {
                _started[Convert.ToInt64(dummy[0], CultureInfo.InvariantCulture)] = (method, DateTime.UtcNow, 0);
                if (_started.Remove(0L, out (string Method, DateTime Start, long Thread) s))
                {
                    _completed.Add((s.Method, s.Start, (DateTime.UtcNow - s.Start).TotalMilliseconds, s.Thread, 0));
                }

                _completed.Clear();
            }

            _ = Completed(DateTime.MinValue, DateTime.MaxValue);
            _ = Loads(DateTime.MinValue, DateTime.MaxValue);
            _ = WaitFor("warm.up", TimeSpan.Zero);
        }

        /// <summary>The compilations that started between <paramref name="from"/> and <paramref name="to"/>, each with the
        /// optimization tier the runtime reported for its code (<see cref="OptimizedTier1"/> for a recompilation of a hot
        /// method, whatever its first code was).</summary>
        public List<(string Method, double Ms, long Thread, int Tier)> CompletedWithTier(DateTime from, DateTime to)
        {
            lock (_lock)
            {
                return [.. _completed.Where(c => c.Start >= from && c.Start <= to).Select(c => (c.Method, c.Ms, c.Thread, c.Tier))];
            }
        }

        /// <summary>The compilations that started between <paramref name="from"/> and <paramref name="to"/>.</summary>
        public List<(string Method, double Ms, long Thread)> Completed(DateTime from, DateTime to)
        {
            lock (_lock)
            {
                return [.. _completed.Where(c => c.Start >= from && c.Start <= to).Select(c => (c.Method, c.Ms, c.Thread))];
            }
        }

        /// <summary>The type loads (one per type and load level; a type can take several), and the precompiled methods
        /// bound, between <paramref name="from"/> and <paramref name="to"/>.</summary>
        public (List<(long TypeId, string Type, double Ms, long Thread, bool DuringJit)> Types, List<string> Bound) Loads(DateTime from, DateTime to)
        {
            lock (_lock)
            {
                return ([.. _types.Where(c => c.Start >= from && c.Start <= to).Select(c => (c.TypeId, c.Type, c.Ms, c.Thread, c.DuringJit))], [.. _bound.Where(b => b.At >= from && b.At <= to).Select(b => b.Method)]);
            }
        }

        /// <summary>The types loaded between <paramref name="from"/> and <paramref name="to"/> on any thread outside the
        /// JIT's compilations, each with the precompiled method its thread bound next (<see cref="TypeLoad"/>).</summary>
        public List<TypeLoad> LoadsOutsideJit(DateTime from, DateTime to)
        {
            lock (_lock)
            {
                return [.. _types.Where(t => t.Start >= from && t.Start <= to && !t.DuringJit).Select(t => new TypeLoad(t.Type, NextBinding(t.Start, t.Thread)))];
            }
        }

        /// <summary>The first precompiled method <paramref name="thread"/> bound at or after <paramref name="at"/>, or null.
        /// Call under the lock.</summary>
        private string? NextBinding(DateTime at, long thread)
        {
            foreach ((DateTime when, long t, string what) in _events)
            {
                if (t == thread && when >= at && what.StartsWith("bound ", StringComparison.Ordinal))
                {
                    return what["bound ".Length..];
                }
            }

            return null;
        }

        /// <summary>The type loads (start and end, with the load level reached) and bindings between <paramref name="from"/>
        /// and <paramref name="to"/>, in the order they were reported; another thread's are marked with its id.</summary>
        public List<(DateTime At, string What)> Timeline(DateTime from, DateTime to, long stepThread)
        {
            lock (_lock)
            {
                return [.. _events.Where(e => e.At >= from && e.At <= to).Select(e => (e.At, e.Thread == stepThread || e.Thread == 0 ? e.What : $"{e.What} (thread {e.Thread})"))];
            }
        }

        /// <summary>Waits until a compilation of a method whose name ends with <paramref name="methodName"/> has been
        /// reported, and returns the operating-system thread that compiled it, or −1 if none was reported in time.</summary>
        public long WaitFor(string methodName, TimeSpan timeout)
        {
            long start = Stopwatch.GetTimestamp();
            do
            {
                lock (_lock)
                {
                    foreach ((string method, _, _, long thread, _) in _completed)
                    {
                        if (method.EndsWith(methodName, StringComparison.Ordinal))
                        {
                            return thread;
                        }
                    }
                }

                Thread.Sleep(10);
            }
            while (Stopwatch.GetElapsedTime(start) < timeout);
            return -1;
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, _loads ? JitKeyword | TypeKeyword | ReadyToRunKeyword : JitKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.Payload is not { } payload || eventData.EventName is not { } name)
            {
                return;
            }

            if (name == "TypeLoadStart")
            {
                lock (_lock)
                {
                    bool duringJit = _jitting.GetValueOrDefault(eventData.OSThreadId) > 0;
                    _typeStarted[Convert.ToInt64(payload[0], CultureInfo.InvariantCulture)] = (eventData.TimeStamp, eventData.OSThreadId, duringJit);
                    _events.Add((eventData.TimeStamp, eventData.OSThreadId, $"load {payload[0]} starts{(duringJit ? " (the JIT's)" : "")}"));
                }
            }
            else if (name == "TypeLoadStop")
            {
                // TypeLoadStartID, ClrInstanceID, LoadLevel, TypeID, TypeName
                lock (_lock)
                {
                    if (_typeStarted.Remove(Convert.ToInt64(payload[0], CultureInfo.InvariantCulture), out (DateTime Start, long Thread, bool DuringJit) t))
                    {
                        _events.Add((eventData.TimeStamp, t.Thread, string.Create(CultureInfo.InvariantCulture, $"load {payload[0]} ends at level {payload[2]} after {(eventData.TimeStamp - t.Start).TotalMilliseconds:F3} ms: {payload[4]}")));
                        _types.Add((Convert.ToInt64(payload[3], CultureInfo.InvariantCulture), $"{payload[4]}", t.Start, (eventData.TimeStamp - t.Start).TotalMilliseconds, t.Thread, t.DuringJit));
                    }
                }
            }
            else if (name.StartsWith("R2RGetEntryPoint", StringComparison.Ordinal) && !name.EndsWith("Start", StringComparison.Ordinal))
            {
                // MethodID, MethodNamespace, MethodName, MethodSignature, EntryPoint, ClrInstanceID; EntryPoint 0 when the
                // lookup found no code or the runtime refused it.
                if (Convert.ToUInt64(payload[4], CultureInfo.InvariantCulture) != 0)
                {
                    lock (_lock)
                    {
                        _bound.Add(($"{payload[1]}.{payload[2]}", eventData.TimeStamp));
                        _events.Add((eventData.TimeStamp, eventData.OSThreadId, $"bound {payload[1]}.{payload[2]}"));
                    }
                }
            }
            else if (name.StartsWith("MethodJittingStarted", StringComparison.Ordinal))
            {
                // MethodID, ModuleID, MethodToken, MethodILSize, MethodNamespace, MethodName, MethodSignature, ...
                string method = $"{payload[4]}.{payload[5]}";
                lock (_lock)
                {
                    _started[Convert.ToInt64(payload[0], CultureInfo.InvariantCulture)] = (method, eventData.TimeStamp, eventData.OSThreadId);
                    _jitting[eventData.OSThreadId] = _jitting.GetValueOrDefault(eventData.OSThreadId) + 1;
                }
            }
            else if (name.StartsWith("MethodLoadVerbose", StringComparison.Ordinal))
            {
                long id = Convert.ToInt64(payload[0], CultureInfo.InvariantCulture);
                lock (_lock)
                {
                    if (_started.Remove(id, out (string Method, DateTime Start, long Thread) s))
                    {
                        _jitting[s.Thread] = Math.Max(0, _jitting.GetValueOrDefault(s.Thread) - 1);
                        // MethodID, ModuleID, MethodStartAddress, MethodSize, MethodToken, MethodFlags, ...: bits 7–9 of the
                        // flags are the code's optimization tier.
                        int tier = (int)((Convert.ToUInt32(payload[5], CultureInfo.InvariantCulture) >> 7) & 0x7);
                        _completed.Add((s.Method, s.Start, (eventData.TimeStamp - s.Start).TotalMilliseconds, s.Thread, tier));
                    }
                }
            }
        }
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat: first touches of fresh memory), or
    /// −1 where that file is not readable. On a virtual machine each such fault can cost microseconds.</summary>
    private static long MinorFaults()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture); // fields[0] is field 3, the state
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }
}

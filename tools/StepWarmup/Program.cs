using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using GanCore.Adversarial;
using GanCore.Benchmarks;
using GanCore.Kernels;
using QuadraticGan;

namespace StepWarmup;

/// <summary>
/// Measures how much slower the first GAN steps of a fresh process are than the steady state: the cost of
/// just-in-time compilation (tier 0, on-stack replacement, tier 1) as a user of the library sees it.
/// The parent starts <c>--runs</c> fresh child processes per variant (interleaved, so a change in the load of a
/// shared host hits every variant alike); each child builds the seed GAN (G 5→128→15, D 15→128→1, Adam 1e-4, batch 64,
/// minimax, simultaneous, one thread), times every step, and prints the mean of steps 1..<c>--first</c> and of a
/// steady-state window that starts once <c>--warm</c> steps have run and then 2,000 steps in a row have compiled nothing
/// and kept every other thread of the process nearly idle (the background tier-1 JIT and the runtime's work around it
/// finished). Variants differ only in environment variables (for example
/// <c>DOTNET_TieredCompilation=0</c>), so a library change is compared by running the same command on two builds.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var runs = new Option<int>("--runs") { Description = "Fresh processes per variant.", DefaultValueFactory = _ => 5 };
        var first = new Option<int>("--first") { Description = "The first steps whose mean is reported.", DefaultValueFactory = _ => 500 };
        var warm = new Option<int>("--warm") { Description = string.Create(CultureInfo.InvariantCulture, $"Steps trained before the steady-state window, at least: the window waits until {QuietSteps:N0} steps in a row, and {QuietMilliseconds:N0} ms, have compiled nothing and used no more CPU (all threads) than {QuietCpuPerWall} times their wall time."), DefaultValueFactory = _ => 3000 };
        var window = new Option<int>("--window") { Description = "Steps in the steady-state window.", DefaultValueFactory = _ => 2000 };
        var variants = new Option<string[]>("--variant")
        {
            Description = "A variant to compare, as name or name:KEY=VALUE,KEY=VALUE (environment variables of the child). Repeatable. Default: one variant, 'as-built'.",
            AllowMultipleArgumentsPerToken = true,
        };
        var child = new Option<bool>("--child") { Description = "Run one measurement in this process and print it (used by the parent)." };
        var jitReport = new Option<int?>("--jit-report") { Description = "Instead: take step 1 in this process and list the N methods whose JIT compilation took longest, with totals by group." };
        var expectPrecompiled = new Option<bool>("--expect-precompiled") { Description = "With --jit-report: exit 1 if GanCore.dll is a ReadyToRun image and step 1 still compiled any of GanCore's methods, or any method a training step can reach does not take the image's code, or a kernel only a width cap or a missing instruction set reaches is in the image (CI's guard for the precompiled kernels)." };
        var loads = new Option<bool>("--loads") { Description = "With --jit-report: also list the types step 1 built (slowest first) and count the precompiled methods it bound." };
        var timeline = new Option<FileInfo?>("--timeline") { Description = "With --jit-report and --loads: also write step 1's type loads and bindings to this file, in order (which method's first call loaded which type)." };
        var sweep = new Option<bool>("--sweep") { Description = "Instead: run GanCore's products over a grid of shapes and MLPs and GANs of other shapes in this process, and exit 1 if any loads one of the framework's non-generic vector classes or a vector type wider than the CPU's widest outside the JIT's compilations (CI runs it next to --expect-precompiled, on every image)." };
        var dumpSteps = new Option<FileInfo?>("--dump-steps") { Description = "With --child: also write the wall µs of each of steps 1..first to this file, one per line." };
        var root = new RootCommand("Mean GAN step time over the first steps of fresh processes, against the steady state of the same processes.");
        var mathCheck = new Option<bool>("--math-check", "--exp-check") { Description = "Instead: compare GanCore's vectorized exp, log, sin and cos with the runtime's, bit for bit, at every width this CPU runs, and exit 1 on any difference (CI runs it on the Arm64 image under qemu). --exp-check is its old name." };
        foreach (Option o in new Option[] { runs, first, warm, window, variants, child, jitReport, expectPrecompiled, loads, timeline, sweep, mathCheck, dumpSteps })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            int f = parse.GetValue(first);
            int w = parse.GetValue(warm);
            int n = parse.GetValue(window);
            if (f < 1 || n < 1 || w < f)
            {
                Console.Error.WriteLine("--first and --window must be ≥ 1 and --warm ≥ --first.");
                return 2;
            }

            if (parse.GetValue(mathCheck))
            {
                return MathCheck.Run();
            }

            if (parse.GetValue(sweep))
            {
                if (parse.GetValue(jitReport) is not null || parse.GetValue(child))
                {
                    Console.Error.WriteLine("--sweep goes alone: it runs its own work in its own process.");
                    return 2;
                }

                return JitReport.Sweep();
            }

            if (parse.GetValue(jitReport) is { } top)
            {
                if (parse.GetValue(dumpSteps) is not null)
                {
                    Console.Error.WriteLine("--dump-steps goes with --child, not with --jit-report.");
                    return 2;
                }

                if (top < 0)
                {
                    Console.Error.WriteLine("--jit-report must be ≥ 0.");
                    return 2;
                }

                bool expect = parse.GetValue(expectPrecompiled);
                if (parse.GetValue(timeline) is not null && !parse.GetValue(loads))
                {
                    Console.Error.WriteLine("--timeline needs --loads.");
                    return 2;
                }

                StepOne stepOne = JitReport.Print(BuildSeedGan(), top, parse.GetValue(loads), listenForLoads: expect, parse.GetValue(timeline));
                return expect ? JitReport.CheckPrecompiled(stepOne.Compiled) | JitReport.CheckVectorTypes(stepOne) | JitReport.CheckOutsideKernels() | JitReport.CheckLeftOut() : 0;
            }

            if (parse.GetValue(expectPrecompiled) || parse.GetValue(loads) || parse.GetValue(timeline) is not null)
            {
                Console.Error.WriteLine("--expect-precompiled, --loads and --timeline need --jit-report N.");
                return 2;
            }

            FileInfo? dump = parse.GetValue(dumpSteps);
            if (parse.GetValue(child))
            {
                return Measure(f, w, n, dump) ? 0 : 2;
            }

            if (dump is not null)
            {
                Console.Error.WriteLine("--dump-steps needs --child.");
                return 2;
            }

            string[] specs = parse.GetValue(variants) is { Length: > 0 } v ? v : ["as-built"];
            return Compare(specs.Select(Variant.Parse).ToArray(), parse.GetValue(runs), f, w, n);
        });

        return root.Parse(args).Invoke();
    }

    /// <summary>The child: one fresh process, one measurement, one line on stdout.</summary>
    /// <returns>False when <paramref name="dumpSteps"/> could not be written (the result line is printed first).</returns>
    private static bool Measure(int first, int warm, int window, FileInfo? dumpSteps)
    {
        long start = Stopwatch.GetTimestamp();

        // STEPWARMUP_PREWARM=1: a background thread builds a second seed GAN and takes two steps, so the JIT compiles the
        // step's kernels there while this thread builds its own GAN and starts stepping (the QuadraticGan sample's warm-up).
        Thread? prewarm = null;
        if (Environment.GetEnvironmentVariable("STEPWARMUP_PREWARM") == "1")
        {
            prewarm = new Thread(static () =>
            {
                Gan warm = BuildSeedGan();
                warm.Step();
                warm.Step();
            })
            { IsBackground = true };
            prewarm.Start();
        }

        Gan gan = BuildSeedGan();
        long built = Stopwatch.GetTimestamp();
        var ticks = new long[warm + window];
        var cpus = new CpuTrace(warm + window + FloorPairs);
        cpus.Note(0); // compiled now, so that neither step 1's time nor its JIT counts include it
        double cpuStart = CpuSeconds();
        double cpuFirst = 0;
        double cpuWarm = 0;
        double cpuStep1 = 0;
        double jitStart = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        double jitStep1 = 0;
        double jitFirst = 0;
        long methodsStart = System.Runtime.JitInfo.GetCompiledMethodCount();
        long methodsStep1 = 0;
        int settle = 0;
        for (int i = 0; i < ticks.Length; i++)
        {
            if (i == 1)
            {
                cpuStep1 = CpuSeconds();
                jitStep1 = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
                methodsStep1 = System.Runtime.JitInfo.GetCompiledMethodCount();
            }

            if (i == first)
            {
                jitFirst = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
                cpuFirst = CpuSeconds();
            }

            if (i == warm)
            {
                settle = Settle(gan);
                cpuWarm = CpuSeconds();
            }

            cpus.Note(i);
            long t0 = Stopwatch.GetTimestamp();
            gan.Step();
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        double cpuEnd = CpuSeconds();
        prewarm?.Join();

        // The steady step against the arithmetic floor, interleaved pair by pair so both see the same moment of a shared host.
        var stepTicks = new long[FloorPairs];
        var floorTicks = new long[FloorPairs];
        float sink = 0f;
        for (int i = 0; i < FloorPairs; i++)
        {
            cpus.Note(ticks.Length + i);
            long t0 = Stopwatch.GetTimestamp();
            gan.Step();
            long t1 = Stopwatch.GetTimestamp();
            sink += StepArithmeticFloor.Run();
            long t2 = Stopwatch.GetTimestamp();
            stepTicks[i] = t1 - t0;
            floorTicks[i] = t2 - t1;
        }

        Array.Sort(stepTicks);
        Array.Sort(floorTicks);
        double pairedStep = stepTicks[FloorPairs / 2] * 1e6 / Stopwatch.Frequency;
        double floor = floorTicks[FloorPairs / 2] * 1e6 / Stopwatch.Frequency;
        GC.KeepAlive(sink);

        double toMicroseconds = 1e6 / Stopwatch.Frequency;
        double firstMean = ticks.Take(first).Average() * toMicroseconds;
        long[] rest = ticks.Skip(1).Take(first - 1).ToArray(); // steps 2..first: precompiled code, step 1's one-off costs behind
        Array.Sort(rest);
        double restMedian = rest.Length > 0 ? rest[rest.Length / 2] * toMicroseconds : double.NaN;
        long[] steady = ticks.Skip(warm).ToArray();
        double steadyMean = steady.Average() * toMicroseconds;
        Array.Sort(steady);
        double steadyMedian = steady[steady.Length / 2] * toMicroseconds;
        double firstStep = ticks[0] * toMicroseconds;
        double build = (built - start) * toMicroseconds;
        (int cpu, double cpuShare) = cpus.Most();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"first={firstMean:F1} steady={steadyMean:F1} steadyMedian={steadyMedian:F1} restMedian={restMedian:F1} cpuFirst={(cpuFirst - cpuStart) * 1e6 / first:F1} cpuSteady={(cpuEnd - cpuWarm) * 1e6 / window:F1} pairedStep={pairedStep:F1} floor={floor:F2} step1={firstStep:F0} cpuStep1={(cpuStep1 - cpuStart) * 1e3:F1} jitStep1={jitStep1 - jitStart:F1} jitFirst={jitFirst - jitStart:F1} methodsStep1={methodsStep1 - methodsStart} build={build:F0} settle={settle} cpu={cpu} cpuShare={cpuShare:F2}"));

        // After the result line, so that a path that cannot be written loses only the dump.
        if (dumpSteps is not null)
        {
            try
            {
                File.WriteAllLines(dumpSteps.FullName, ticks.Take(first).Select(t => (t * toMicroseconds).ToString("F2", CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--dump-steps {dumpSteps.FullName}: {e.Message}");
                return false;
            }
        }

        return true;
    }

    /// <summary>Steps without compiling anything, in a row, before the steady window starts.</summary>
    private const int QuietSteps = 2000;

    /// <summary>
    /// The least wall time, in ms, of a quiet run of steps. Longer than the runtime's tiering delay (100 ms): until it has
    /// passed with no method called for the first time, no method is promoted to tier 1 at all, and 2,000 steps of the seed
    /// GAN (about 50 ms) could pass quietly before the promotions had even begun. Then the window timed precompiled and
    /// tier-0 code (benchmarks/RESULTS.md, twenty-first session: 24–34 µs instead of 21 on Zen 5, no method at tier 1).
    /// </summary>
    private const double QuietMilliseconds = 500;

    /// <summary>The most steps <see cref="Settle"/> takes.</summary>
    private const int MostSettleSteps = 200_000;

    /// <summary>The most CPU time the whole process may use over a quiet run of steps, as a multiple of their wall time:
    /// above it, another thread of the process was busy beside the step.</summary>
    private const double QuietCpuPerWall = 1.10;

    /// <summary>
    /// Steps on until <see cref="QuietSteps"/> steps in a row, and at least <see cref="QuietMilliseconds"/>, have compiled nothing, on any thread, and used at most
    /// <see cref="QuietCpuPerWall"/> times their wall time in CPU (all threads), and returns how many steps that took.
    /// The steady window must not overlap the runtime's background work: hot methods are recompiled at tier 1 (after a
    /// tier with instrumentation when TieredPGO is on) on another thread, which, on a 2-core host, competes with the step
    /// and leaves some of it running slower code. After a fixed 3,000 steps the main build was still compiling (its CPU
    /// time per step was twice its wall time), and the window read 35–40% slow. The compile count alone missed part of it:
    /// in an IL build (AggressiveOptimization), steps 5,000–7,000 ran 41–46 µs with 25–40 µs per step of CPU on the
    /// tiered-compilation thread and no method compiled, against 34–36 µs later or with tiering off. A host whose other
    /// tenants take our core makes wall time exceed CPU time, never the reverse, so the CPU test does not wait on them.
    /// </summary>
    private static int Settle(Gan gan)
    {
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        int quiet = 0;
        int steps = 0;
        double cpu0 = CpuSeconds();
        long wall0 = Stopwatch.GetTimestamp();
        while (steps < MostSettleSteps)
        {
            gan.Step();
            steps++;
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            bool restart = now != compiled;
            compiled = now;
            if (!restart && ++quiet >= QuietSteps && Stopwatch.GetElapsedTime(wall0).TotalMilliseconds >= QuietMilliseconds)
            {
                double wall = Stopwatch.GetElapsedTime(wall0).TotalSeconds;
                if (CpuSeconds() - cpu0 <= QuietCpuPerWall * wall)
                {
                    break;
                }

                restart = true;
            }

            if (restart)
            {
                quiet = 0;
                cpu0 = CpuSeconds();
                wall0 = Stopwatch.GetTimestamp();
            }
        }

        return steps;
    }

    /// <summary>Step–floor pairs timed after the steady window.</summary>
    private const int FloorPairs = 2000;

    /// <summary>CPU seconds used so far by every thread of this process (JIT and GC threads included), which a shared,
    /// overloaded host inflates far less than wall time.</summary>
    private static double CpuSeconds()
    {
        if (OperatingSystem.IsLinux() && NativeMethods.clock_gettime(NativeMethods.ClockProcessCpuTimeId, out NativeMethods.TimeSpec t) == 0)
        {
            return t.Seconds + (t.Nanoseconds * 1e-9);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// The seed configuration, built by the QuadraticGan sample's own <c>Experiment.Build</c> with its original preset
    /// (G 5→128→15, D 15→128→1, Adam 1e-4, batch 64, minimax, simultaneous, seed 1), on one thread. Its real-data
    /// delegate is then the sample's, precompiled like the rest of the sample: a lambda of this tool's own was jitted in
    /// step 1 (about 1 ms of it on Zen 5) and ran as tier-0 code through the first 500 steps, which the sample never does.
    /// </summary>
    private static Gan BuildSeedGan()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        return Experiment.Build(TrainSettings.OriginalPreset);
    }

    /// <summary>The parent: runs every variant <paramref name="runs"/> times, interleaved, and prints a table.</summary>
    private static int Compare(Variant[] variants, int runs, int first, int warm, int window)
    {
        string self = typeof(Program).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        var results = variants.ToDictionary(v => v.Name, _ => new List<Sample>());
        Console.WriteLine($"CPU: {HostDescription.CpuModel()}; {Environment.ProcessorCount} logical cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {HostDescription.LoadAverage()}");
        Console.WriteLine($"{runs} fresh processes per variant; first {first} steps against {window} steps after at least {warm} and the background JIT's end.");
        for (int r = 0; r < runs; r++)
        {
            foreach (Variant v in variants)
            {
                var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                if (!host.EndsWith("StepWarmup", StringComparison.Ordinal))
                {
                    info.ArgumentList.Add(self);
                }

                foreach (string a in new[] { "--child", "--first", $"{first}", "--warm", $"{warm}", "--window", $"{window}" })
                {
                    info.ArgumentList.Add(a);
                }

                foreach ((string key, string value) in v.Environment)
                {
                    info.Environment[key] = value;
                }

                using Process p = Process.Start(info) ?? throw new InvalidOperationException("Could not start a child process.");
                string output = p.StandardOutput.ReadToEnd();
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0)
                {
                    Console.Error.WriteLine($"variant {v.Name}: the child exited with {p.ExitCode}: {error}");
                    return 1;
                }

                Sample s = Sample.Parse(output);
                results[v.Name].Add(s);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v.Name,-24} run {r + 1}: {output.Trim()}  wall ratio {s.WallRatio:F2}, CPU ratio {s.CpuRatio:F2}, step/floor {s.FloorRatio:F2}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Wall: the mean wall time of steps 1..first over the median steady step. CPU: the process's CPU time (all threads,");
        Console.WriteLine("JIT included) per step over steps 1..first, over the same in the steady window. Ratios: median of the runs (range).");
        Console.WriteLine("Floor: the median steady step over the median arithmetic floor (2,244,608 flops as register FMAs), timed in pairs.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Settle: the steps after the first {warm} until {QuietSteps:N0} in a row ({QuietMilliseconds:N0} ms at least) compiled nothing and took at most {QuietCpuPerWall}× their wall time in CPU (mean of the runs)."));
        Console.WriteLine($"| variant | wall µs, steps 1–{first} | steady µs (median) | wall ratio | CPU µs, steps 1–{first} | CPU µs, steady | CPU ratio | step / floor | settle |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Variant v in variants)
        {
            List<Sample> s = results[v.Name];
            double[] wall = s.Select(x => x.WallRatio).Order().ToArray();
            double[] cpu = s.Select(x => x.CpuRatio).Order().ToArray();
            double[] floor = s.Select(x => x.FloorRatio).Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {v.Name} | {s.Average(x => x.First):F0} | {s.Average(x => x.SteadyMedian):F1} | {wall[wall.Length / 2]:F2} ({wall[0]:F2}–{wall[^1]:F2}) | {s.Average(x => x.CpuFirst):F0} | {s.Average(x => x.CpuSteady):F1} | {cpu[cpu.Length / 2]:F2} ({cpu[0]:F2}–{cpu[^1]:F2}) | {floor[floor.Length / 2]:F2} ({floor[0]:F2}–{floor[^1]:F2}) | {s.Average(x => x.Settle):N0} |"));
        }

        return 0;
    }

    private readonly record struct Sample(double First, double Steady, double SteadyMedian, double CpuFirst, double CpuSteady, double PairedStep, double Floor, double Settle)
    {
        public double FloorRatio => PairedStep / Floor;

        public double WallRatio => First / SteadyMedian;

        public double CpuRatio => CpuFirst / CpuSteady;

        public static Sample Parse(string line)
        {
            Dictionary<string, double> fields = line.Trim().Split(' ')
                .Select(f => f.Split('='))
                .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
            return new Sample(fields["first"], fields["steady"], fields["steadyMedian"], fields["cpuFirst"], fields["cpuSteady"], fields["pairedStep"], fields["floor"], fields["settle"]);
        }
    }

    private sealed record Variant(string Name, (string Key, string Value)[] Environment)
    {
        public static Variant Parse(string spec)
        {
            int colon = spec.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return new Variant(spec, []);
            }

            (string, string)[] env = spec[(colon + 1)..]
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(kv => kv.Split('=', 2))
                .Select(kv => kv.Length == 2 ? (kv[0], kv[1]) : throw new ArgumentException($"'{spec}': expected KEY=VALUE pairs after the colon."))
                .ToArray();
            return new Variant(spec[..colon], env);
        }
    }
}

/// <summary>
/// Which logical CPU the measuring thread ran each step on (read between steps, outside the timed region): steps 1 to
/// the end of the steady window, then the step/floor pairs. On a shared guest one virtual CPU can run the step 25–30%
/// slower than the other, mostly with the register-only floor the same on both, at times with the floor slowed too
/// (benchmarks/RESULTS.md, forty-first session), so a child's result names its CPU, and says whether all of its
/// figures came from that one.
/// </summary>
internal sealed class CpuTrace(int steps)
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    private readonly int[] _cpu = new int[steps];

    /// <summary>Records the current CPU for step <paramref name="step"/> (-1 where the OS cannot say).</summary>
    /// <remarks>Optimized at its first call, as is <see cref="CurrentCpu"/>: no tier-1 recompilation on the other core
    /// while the first steps are timed.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Note(int step) => _cpu[step] = CurrentCpu();

    /// <summary>The CPU most steps ran on (-1 where unknown), and the share of all the steps that did: 1 when every
    /// figure of the child (first steps, steady window, step/floor pairs) came from that CPU.</summary>
    public (int Cpu, double Share) Most()
    {
        var counts = new Dictionary<int, int>();
        foreach (int c in _cpu)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        KeyValuePair<int, int> most = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First();
        return (most.Key, (double)most.Value / _cpu.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CurrentCpu()
    {
        if (s_unavailable)
        {
            return -1;
        }

        try
        {
            return NativeMethods.sched_getcpu();
        }
        catch (EntryPointNotFoundException)
        {
            // A libc without it (not glibc or musl): asked once, not on every step.
            s_unavailable = true;
            return -1;
        }
    }
}

/// <summary>The libc calls of a child: clock_gettime(CLOCK_PROCESS_CPUTIME_ID), the nanosecond CPU time of the whole process,
/// and sched_getcpu (Linux).</summary>
internal static partial class NativeMethods
{
    public const int ClockProcessCpuTimeId = 2;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    public static partial int clock_gettime(int clockId, out TimeSpec time);

    /// <summary>The logical CPU the calling thread runs on now (glibc, Linux), or -1 on error.</summary>
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "sched_getcpu")]
    public static partial int sched_getcpu();

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GanCore.Benchmarks;

namespace Targets;

/// <summary>
/// Measures issue 11's speed targets on the host it runs on, in one command, and prints them as a table with the CPU
/// named: the seed GAN step against its arithmetic floor and its first 500 steps against the steady state (StepWarmup,
/// fresh processes), the default sample run's wall time, GEMM against OpenBLAS on one and two threads (gemm-ratios),
/// and, with <c>--torchsharp</c>, the wide GAN step against TorchSharp. Every measurement runs in its own process, one
/// after another, from the Release build of the solution; this program only starts them, reads what they print and
/// judges each target by the median of its runs.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var processes = new Option<int>("--processes") { Description = "Fresh StepWarmup processes (seed step against its floor, first 500 steps against the steady state).", DefaultValueFactory = _ => 6 };
        var runs = new Option<int>("--runs") { Description = "Default sample runs timed (QuadraticGan --quiet, plots included).", DefaultValueFactory = _ => 5 };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds of each GEMM shape (gemm-ratios --rounds).", DefaultValueFactory = _ => 3 };
        var torchSharp = new Option<bool>("--torchsharp") { Description = "Also run benchmarks/TorchSharpComparison/run.sh for h = 256 and h = 2048 (needs its runtime; see its README)." };
        var quick = new Option<bool>("--quick") { Description = "One process, one run and one round each, no square GEMMs and no TorchSharp: checks that every tool still runs and parses (CI), not the speed." };
        var repo = new Option<DirectoryInfo?>("--repo") { Description = "The repository whose Release build is measured. Default: the one this program was built in." };
        var root = new RootCommand("Issue 11's speed targets on this host: runs the built measurement tools one after another and prints a table of figures against targets.");
        foreach (Option o in new Option[] { processes, runs, rounds, torchSharp, quick, repo })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            bool q = parse.GetValue(quick);
            if (q && new Option[] { processes, runs, rounds, torchSharp }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList() is { Count: > 0 } given)
            {
                Console.Error.WriteLine($"--quick sets one process, one run and one round and runs no TorchSharp: it does not go with {string.Join(", ", given)}.");
                return 2;
            }

            var settings = new Settings(
                Processes: q ? 1 : parse.GetValue(processes),
                Runs: q ? 1 : parse.GetValue(runs),
                Rounds: q ? 1 : parse.GetValue(rounds),
                TorchSharp: parse.GetValue(torchSharp),
                Quick: q);
            if (settings.Processes < 1 || settings.Runs < 1 || settings.Rounds < 1)
            {
                Console.Error.WriteLine($"--processes, --runs and --rounds must be ≥ 1 (got {settings.Processes}, {settings.Runs}, {settings.Rounds}).");
                return 2;
            }

            string? root = parse.GetValue(repo)?.FullName ?? RepositoryLayout.FindRoot(AppContext.BaseDirectory);
            if (root is null)
            {
                Console.Error.WriteLine($"No GanCore.sln above {AppContext.BaseDirectory}: pass --repo DIR.");
                return 2;
            }

            if (!File.Exists(Path.Combine(root, "GanCore.sln")))
            {
                Console.Error.WriteLine($"--repo {root}: no GanCore.sln there; name the repository's top folder.");
                return 2;
            }

            var layout = new RepositoryLayout(root);
            if (layout.Missing(settings) is { Count: > 0 } missing)
            {
                Console.Error.WriteLine($"Not built: {string.Join(", ", missing)}. Run `dotnet build GanCore.sln -c Release` in {root} first.");
                return 2;
            }

            return new Measurement(layout, settings).Run();
        });

        // A bad command line is exit 2 like every other usage error here (1 means a target's measurement failed).
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (System.CommandLine.Parsing.ParseError e in parsed.Errors)
            {
                Console.Error.WriteLine(e.Message);
            }

            Console.Error.WriteLine("Run with --help for the options.");
            return 2;
        }

        return parsed.Invoke();
    }
}

/// <summary>What the command line asked for.</summary>
internal sealed record Settings(int Processes, int Runs, int Rounds, bool TorchSharp, bool Quick);

/// <summary>Where the built tools are.</summary>
internal sealed class RepositoryLayout(string root)
{
    private const string Release = "bin/Release/net10.0";

    public string Root { get; } = root;

    public string Benchmarks => Path.Combine(Root, "benchmarks/GanCore.Benchmarks", Release, "GanCore.Benchmarks.dll");

    public string StepWarmup => Path.Combine(Root, "tools/StepWarmup", Release, "StepWarmup.dll");

    public string Sample => Path.Combine(Root, "samples/QuadraticGan", Release, "QuadraticGan.dll");

    public string TorchSharpScript => Path.Combine(Root, "benchmarks/TorchSharpComparison/run.sh");

    /// <summary>The repository above <paramref name="start"/>: the first directory that holds GanCore.sln.</summary>
    public static string? FindRoot(string start)
    {
        for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "GanCore.sln")))
            {
                return d.FullName;
            }
        }

        return null;
    }

    /// <summary>The files this run needs that are not there, named relative to the repository.</summary>
    public List<string> Missing(Settings settings)
    {
        var needed = new List<string> { Benchmarks, StepWarmup, Sample };
        if (settings.TorchSharp)
        {
            needed.Add(TorchSharpScript);
        }

        return needed.Where(p => !File.Exists(p)).Select(p => Path.GetRelativePath(Root, p)).ToList();
    }
}

/// <summary>Runs the stages in order, prints progress on stderr and the report on stdout.</summary>
internal sealed class Measurement(RepositoryLayout layout, Settings settings)
{
    /// <summary>The longest any one child may run before it is stopped and its stage reported as failed.</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(20);

    private readonly List<TargetRow> _rows = [];
    private readonly List<string> _details = [];
    private readonly List<string> _context = [];
    private readonly Stopwatch _stageClock = new();
    private readonly List<string> _peaks = [];
    private readonly SimulatedHost? _simulated = SimulatedHost.From(Environment.GetEnvironmentVariable, HostDescription.IntelCpu());
    private int _stage;
    private int _stages;
    private bool _failed;
    private string _host = string.Empty;

    public int Run()
    {
        _host = $"{HostDescription.CpuModel()}, {Environment.ProcessorCount} logical cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {HostDescription.LoadAverage()} at the start";
        var started = Stopwatch.StartNew();
        _stages = 3 + (settings.Quick ? 0 : 1) + (settings.TorchSharp ? 1 : 0);
        string load = HostDescription.LoadAverage(oneMinute: true);
        if (double.TryParse(load, NumberStyles.Float, CultureInfo.InvariantCulture, out double busy) && busy > Environment.ProcessorCount / 2.0)
        {
            string warning = string.Create(CultureInfo.InvariantCulture, $"**busy host**: the 1-minute load was {load} at the start on {Environment.ProcessorCount} logical cores, so figures may read slow and the first-500 ratio high (a build just before moved it from 1.91–1.99 to 1.97–2.39; benchmarks/RESULTS.md, twenty-sixth session)");
            _context.Add(warning);
            Progress($"warning: {warning}");
        }

        if (_simulated is { } sim)
        {
            string note = $"**simulated host**: {sim.Switch} in the environment, so every child runs without those instructions. Measure a build made as one there would be (`dotnet build -c Release -p:{sim.BuildProperty}`, then `--repo`): a GanCore image for this machine's level is refused and its first steps run on the JIT. TorchSharpComparison is built with the same property and libtorch is held to the same instructions ({string.Join(", ", sim.LibTorchEnvironment.Select(e => $"{e.Key}={e.Value}"))}){(sim.BaselineCaveat is { } caveat ? $", except that {caveat}" : "")}. The default sample run is shown but not judged: the sample's own precompiled code is for this machine, and the JIT compiles it again.";
            _context.Add(note);
            Progress($"note: {note}");
        }

        Guard(StepStage, TargetNames.StepFloor, TargetNames.FirstSteps);
        Guard(DefaultRunStage, TargetNames.DefaultRun);
        Guard(GemmStage, TargetNames.SmallGemm, TargetNames.SquareOne, TargetNames.SquareTwo, TargetNames.Scaling);
        Guard(TorchSharpStage, TargetNames.Wide, TargetNames.Narrow);
        Progress($"all stages done in {started.Elapsed.TotalMinutes:F1} min");
        PrintReport();
        return _failed ? 1 : 0;
    }

    /// <summary>Runs a stage; an exception it did not expect marks those of its targets that have no row yet as
    /// failed, and the next stage still runs.</summary>
    private void Guard(Action stage, params string[] targets)
    {
        try
        {
            stage();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail($"{e.GetType().Name}: {e.Message}", targets.Where(t => !_rows.Any(r => r.Target == t)).ToArray());
        }
    }

    /// <summary>StepWarmup children: the seed step against its floor, and the first 500 steps against the steady step.</summary>
    private void StepStage()
    {
        Begin($"StepWarmup, {settings.Processes} fresh process(es) of the seed GAN");
        var samples = new List<WarmupSample>();
        for (int i = 0; i < settings.Processes; i++)
        {
            ChildResult r = ChildProcess.RunDotnet(layout.StepWarmup, ["--child"], ChildTimeout);
            if (!Succeeded(r, "StepWarmup --child", [TargetNames.StepFloor, TargetNames.FirstSteps]))
            {
                return;
            }

            WarmupSample s;
            try
            {
                s = WarmupSample.Parse(r.Stdout);
            }
            catch (FormatException e)
            {
                Fail(e.Message, [TargetNames.StepFloor, TargetNames.FirstSteps]);
                return;
            }

            samples.Add(s);
            _details.Add($"StepWarmup --child, process {i + 1}: {r.Stdout.Trim()}");
            Progress($"  process {i + 1}: step / floor {Format(s.FloorRatio)}, first 500 / steady {Format(s.WallRatio)}, step 1 {s.Step1Microseconds / 1000:F1} ms{(s.Cpu >= 0 ? $", on CPU {s.Cpu}" : "")}");
        }

        if (ByCpu(samples) is string byCpu)
        {
            _context.Add(byCpu);
            Progress(byCpu);
        }

        if (NotPrecompiled(samples, _simulated) is string jit)
        {
            _context.Add(jit);
            Progress($"warning: {jit}");
        }

        Summary floor = Summary.Of(samples.Select(s => s.FloorRatio));
        _rows.Add(new TargetRow(
            TargetNames.StepFloor,
            $"{floor} over {samples.Count} process(es); steady step {Summary.Of(samples.Select(s => s.PairedStep)).Format("F1")} µs, floor {Summary.Of(samples.Select(s => s.Floor)).Format("F2")} µs",
            Verdict.AtMost(floor.Median, 2.5, goal: 2.0)));

        Summary first = Summary.Of(samples.Select(s => s.WallRatio));
        int within = samples.Count(s => s.WallRatio <= 2.0);
        _rows.Add(new TargetRow(
            TargetNames.FirstSteps,
            $"{first}; {within} of {samples.Count} process(es) ≤ 2.00; steps 1–500 {Summary.Of(samples.Select(s => s.First)).Format("F1")} µs, step 1 {Summary.Of(samples.Select(s => s.Step1Microseconds / 1000)).Format("F1")} ms{RestOfFirst(samples)}",
            Verdict.AtMost(first.Median, 2.0)));
    }

    /// <summary>The most methods step 1 may compile while GanCore's precompiled kernels run: a few of the framework's
    /// (2–3 with AVX-512, 12–14 on the x86-64-v3, v2-avx and v2 images), against 200–400 when no image fits (399 for the
    /// x86-64-v4 image with AVX-512 off, forty-ninth session).</summary>
    internal const int PrecompiledStep1Methods = 50;

    /// <summary>A warning when the processes' step 1 compiled more than <see cref="PrecompiledStep1Methods"/> methods
    /// (their median): no precompiled GanCore ran, so the first steps measure the JIT. Null otherwise, or when the
    /// children did not print the count.</summary>
    internal static string? NotPrecompiled(IReadOnlyList<WarmupSample> samples, SimulatedHost? simulated)
    {
        if (samples.Count == 0 || samples.Any(s => s.MethodsStep1 < 0))
        {
            return null;
        }

        double median = Summary.Of(samples.Select(s => (double)s.MethodsStep1)).Median;
        if (median <= PrecompiledStep1Methods)
        {
            return null;
        }

        string remedy = simulated is null ? "an IL build (GanCoreReadyToRun=false), or an image made for another machine"
            : $"build the measured repository with -p:{simulated.BuildProperty} for {simulated.Switch}";
        return string.Create(CultureInfo.InvariantCulture, $"**step 1 compiled {median:F0} methods** (median of the processes; with GanCore's precompiled kernels it compiles at most a few of the framework's): no precompiled GanCore ran in them, so the first-500 row measures the JIT ({remedy})");
    }

    /// <summary>", steps 2–500 median … µs, median … of the steady step" (each child's median of those steps): what the first steps cost without step 1 (precompiled
    /// code, before the runtime recompiles the hot methods at tier 1), or nothing when a child did not print it.</summary>
    internal static string RestOfFirst(IReadOnlyList<WarmupSample> samples) => samples.Any(s => double.IsNaN(s.RestMedian))
        ? ""
        : $", steps 2–500 {Summary.Of(samples.Select(s => s.RestMedian)).Format("F1")} µs, {Summary.Of(samples.Select(s => s.RestMedian / s.SteadyMedian)).Format("F2")} of the steady step";

    /// <summary>
    /// The StepWarmup figures CPU by CPU, when the processes ran on more than one: a shared guest can run one virtual
    /// CPU's step 25–30% slower than the other's, mostly with the same register-only floor (benchmarks/RESULTS.md,
    /// forty-first session), and the medians then mix the two. A process counts for a CPU when at least 95% of its timed steps ran
    /// there; the others are counted as having moved. Null for one CPU or none known.
    /// </summary>
    internal static string? ByCpu(IReadOnlyList<WarmupSample> samples)
    {
        var known = samples.Where(s => s.Cpu >= 0).ToList();
        var groups = known.Where(s => s.CpuShare >= 0.95).GroupBy(s => s.Cpu).OrderBy(g => g.Key).ToList();
        int moved = known.Count(s => s.CpuShare < 0.95);
        if (groups.Count + (moved > 0 ? 1 : 0) < 2)
        {
            return null;
        }

        IEnumerable<string> parts = groups.Select(g =>
            $"CPU {g.Key}: {g.Count()} process(es), step / floor {Summary.Of(g.Select(s => s.FloorRatio))}, steady step {Summary.Of(g.Select(s => s.PairedStep)).Format("F1")} µs, floor {Summary.Of(g.Select(s => s.Floor)).Format("F2")} µs, first 500 / steady {Summary.Of(g.Select(s => s.WallRatio))}");
        if (moved > 0)
        {
            parts = parts.Append($"{moved} process(es) moved between CPUs");
        }

        return "StepWarmup by the CPU its timed steps ran on: " + string.Join("; ", parts);
    }

    /// <summary>The default sample run, built, timed from process start to exit (plots included).</summary>
    private void DefaultRunStage()
    {
        Begin($"the default QuadraticGan run, {settings.Runs} time(s)");
        string output = Directory.CreateTempSubdirectory("gancore-targets-").FullName;
        try
        {
            var seconds = new List<double>();
            for (int i = 0; i < settings.Runs; i++)
            {
                ChildResult r = ChildProcess.RunDotnet(layout.Sample, ["--quiet", "--out", output], ChildTimeout);
                if (!Succeeded(r, "QuadraticGan --quiet", [TargetNames.DefaultRun]))
                {
                    return;
                }

                seconds.Add(r.Elapsed.TotalSeconds);
                // The summary line without its "files in DIR" (a temporary folder, deleted below).
                string summary = r.Stdout.Trim();
                int files = summary.IndexOf("; files in ", StringComparison.Ordinal);
                _details.Add($"QuadraticGan --quiet, run {i + 1}: {r.Elapsed.TotalSeconds:F3} s; {(files >= 0 ? summary[..files] : summary)}");
                Progress($"  run {i + 1}: {r.Elapsed.TotalSeconds:F3} s");
            }

            Summary s = Summary.Of(seconds);
            _rows.Add(new TargetRow(
                TargetNames.DefaultRun,
                $"{s.Format("F3")} s over {seconds.Count} run(s), plots included{(_simulated is null ? "" : " (simulated host: not judged, see the note above)")}",
                _simulated is null ? Verdict.AtMost(s.Median, 0.6, goal: 0.4) : "—"));
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Progress($"  could not delete {output}: {e.Message}");
            }
        }
    }

    /// <summary>gemm-ratios: the small GAN shapes on one thread, then the square sizes on one and two threads.</summary>
    private void GemmStage()
    {
        string[] common = ["gemm-ratios", "--rounds", $"{settings.Rounds}", "--settle-ms", settings.Quick ? "0" : "300"];
        Begin("gemm-ratios, the 11 small GAN shapes on one thread");
        if (Gemm([.. common, "--threads", "1", "--set", "small"], TargetNames.SmallGemm) is not { } small)
        {
            // Failed: Gemm has said so.
        }
        else if (!HasBaseline(small))
        {
            _rows.Add(new TargetRow(TargetNames.SmallGemm, NoBaseline, "—"));
        }
        else
        {
            var ones = small.Where(g => g.Threads == 1).ToList();
            int above = ones.Count(g => g.RatioMedian >= 1.0);
            GemmRow lowest = ones.MinBy(g => g.RatioMedian)!;
            _rows.Add(new TargetRow(
                TargetNames.SmallGemm,
                string.Create(CultureInfo.InvariantCulture, $"{above} of {ones.Count} at or above (medians {ones.Min(g => g.RatioMedian):F2}–{ones.Max(g => g.RatioMedian):F2}, lowest {lowest.Shape}; bests {ones.Min(g => g.RatioBest):F2}–{ones.Max(g => g.RatioBest):F2})"),
                Verdict.AllAtLeast(ones.Select(g => g.RatioMedian), 1.0)));
        }

        if (settings.Quick)
        {
            string[] skipped = [TargetNames.SquareOne, TargetNames.SquareTwo, TargetNames.Scaling];
            _rows.AddRange(skipped.Select(t => new TargetRow(t, "not measured (--quick)", "—")));
            return;
        }

        Begin("gemm-ratios, 128³–2048³ on one and two threads");
        string[] squareTargets = [TargetNames.SquareOne, TargetNames.SquareTwo, TargetNames.Scaling];
        if (Gemm([.. common, "--threads", "1,2", "--set", "square"], squareTargets) is not { } square)
        {
            return;
        }

        // The targets name these sizes: every one of them must have its row on both thread counts.
        int[] sizes = [128, 256, 512, 1024, 2048];
        var one = square.Where(g => g.Threads == 1 && sizes.Contains(g.Size)).GroupBy(g => g.Size).ToDictionary(g => g.Key, g => g.Last());
        var two = square.Where(g => g.Threads == 2 && sizes.Contains(g.Size)).GroupBy(g => g.Size).ToDictionary(g => g.Key, g => g.Last());
        if (sizes.Where(n => !one.ContainsKey(n) || !two.ContainsKey(n)).ToList() is { Count: > 0 } absent)
        {
            Fail($"gemm-ratios printed no row on one or two threads for {string.Join(", ", absent.Select(n => $"{n}³"))}", squareTargets);
            return;
        }

        if (!HasBaseline(square))
        {
            _rows.Add(new TargetRow(squareTargets[0], NoBaseline, "—"));
            _rows.Add(new TargetRow(squareTargets[1], NoBaseline, "—"));
        }
        else
        {
            _rows.Add(new TargetRow(
                squareTargets[0],
                string.Join(", ", one.Values.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Size}³ {g.RatioMedian:F2}"))),
                Verdict.AllAtLeast(one.Values.Select(g => g.RatioMedian), 1.0)));
            var large = two.Values.Where(g => g.Size >= 1024).ToList();
            _rows.Add(new TargetRow(
                squareTargets[1],
                string.Join(", ", large.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Size}³ {g.RatioMedian:F2}"))),
                Verdict.AllAtLeast(large.Select(g => g.RatioMedian), 1.0)));
        }

        var scaling = two.Values.Where(g => g.Size >= 512 && one.ContainsKey(g.Size))
            .Select(g => (g.Size, Speedup: one[g.Size].GanCoreMicroseconds / g.GanCoreMicroseconds)).ToList();
        _rows.Add(new TargetRow(
            squareTargets[2],
            string.Join(", ", scaling.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Size}³ {s.Speedup:F2}×"))) + " (best times)",
            Verdict.AllAtLeast(scaling.Select(s => s.Speedup), 1.8)));
    }

    /// <summary>The figure of a ratio target when gemm-ratios found no OpenBLAS to compare with (it prints NaN ratios).</summary>
    private const string NoBaseline = "not measured: OpenBLAS not found (libopenblas.so.0; on Debian `apt-get install libopenblas0-pthread`)";

    /// <summary>Whether gemm-ratios had OpenBLAS to time against.</summary>
    private static bool HasBaseline(List<GemmRow> rows) => rows.All(g => !double.IsNaN(g.RatioMedian));

    /// <summary>How gemm-ratios introduces the register-only FMA peak it measured.</summary>
    private const string PeakPrefix = "Register-only FMA peak measured now: ";

    /// <summary>One gemm-ratios child: its "//" lines go to the report's context, its table to the details.</summary>
    private List<GemmRow>? Gemm(string[] args, params string[] targets)
    {
        ChildResult r = ChildProcess.RunDotnet(layout.Benchmarks, args, ChildTimeout);
        if (!Succeeded(r, $"GanCore.Benchmarks {string.Join(' ', args)}", targets))
        {
            return null;
        }

        string[] lines = r.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // The host line is the report's title; gemm-ratios adds what it found: the cache sizes and blocking, OpenBLAS's
        // core and the FMA peak.
        foreach (string line in lines.Where(l => l.StartsWith("// OpenBLAS", StringComparison.Ordinal) || l.StartsWith("// caches", StringComparison.Ordinal)))
        {
            string text = line[3..];
            int peak = text.IndexOf(PeakPrefix, StringComparison.Ordinal);
            if (peak >= 0)
            {
                _peaks.Add(text[(peak + PeakPrefix.Length)..].Split(' ')[0]);
                text = text[..peak].TrimEnd();
            }

            if (!_context.Contains(text))
            {
                _context.Add(text);
            }
        }

        _details.Add($"GanCore.Benchmarks {string.Join(' ', args)}:");
        _details.AddRange(lines.Where(l => l.StartsWith('|')));
        List<GemmRow> rows;
        try
        {
            rows = GemmRow.Read(lines);
        }
        catch (FormatException e)
        {
            Fail(e.Message, targets);
            return null;
        }

        Progress(HasBaseline(rows)
            ? $"  {rows.Count} rows in {_stageClock.Elapsed.TotalSeconds:F0} s, GanCore / OpenBLAS medians {rows.Min(g => g.RatioMedian):F2}–{rows.Max(g => g.RatioMedian):F2}"
            : $"  {rows.Count} rows in {_stageClock.Elapsed.TotalSeconds:F0} s, no OpenBLAS to compare with");
        return rows;
    }

    /// <summary>benchmarks/TorchSharpComparison at the issue's two named sizes.</summary>
    private void TorchSharpStage()
    {
        string[] targets = [TargetNames.Wide, TargetNames.Narrow];
        if (!settings.TorchSharp)
        {
            _rows.AddRange(targets.Select(t => new TargetRow(t, settings.Quick ? "not measured (--quick)" : "not measured (pass --torchsharp)", "—")));
            return;
        }

        Begin("benchmarks/TorchSharpComparison at h = 256 and h = 2048");
        // run.sh builds the comparison first: no MSBuild node or build server may outlive it holding the output pipes.
        var environment = new Dictionary<string, string>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        };
        if (_simulated is { } sim)
        {
            string[] property = sim.BuildProperty.Split('=');
            environment[property[0]] = property[1];
            foreach ((string key, string value) in sim.LibTorchEnvironment)
            {
                environment[key] = value;
            }
        }

        ChildResult r = ChildProcess.Run("bash", [layout.TorchSharpScript, "--sizes", "256x512,2048x1024", "--rounds", $"{settings.Rounds}", "--seconds", "1"], ChildTimeout, environment);
        if (!Succeeded(r, "TorchSharpComparison/run.sh", targets))
        {
            return;
        }

        string[] lines = r.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        _details.Add("benchmarks/TorchSharpComparison/run.sh --sizes 256x512,2048x1024:");
        _details.AddRange(lines.Where(l => l.StartsWith("//", StringComparison.Ordinal) || l.StartsWith('|')));
        Dictionary<int, TorchRow> rows;
        try
        {
            rows = TorchRow.Read(lines).ToDictionary(t => t.Hidden);
        }
        catch (FormatException e)
        {
            Fail(e.Message, targets);
            return;
        }

        if (!rows.TryGetValue(2048, out TorchRow? wide) || !rows.TryGetValue(256, out TorchRow? narrow))
        {
            Fail("TorchSharpComparison printed no row for h = 256 or h = 2048", targets);
            return;
        }

        string? notHeld = lines.FirstOrDefault(l => l.StartsWith(BaselineNotHeld, StringComparison.Ordinal));
        _rows.AddRange(TorchRows(wide, narrow, baselineHeld: notHeld is null));
        if (notHeld is not null)
        {
            _context.Add($"**baseline not held**: {notHeld[BaselineNotHeld.Length..].Trim()}");
        }
    }

    /// <summary>How TorchSharpComparison starts the line that says libtorch's GEMM ran faster than this host's vectors
    /// allow .NET, so that libtorch used instructions a simulated host would not have: its own constant, in the file both
    /// programs compile.</summary>
    internal const string BaselineNotHeld = ComparisonReport.BaselineNotHeld;

    /// <summary>The two TorchSharp targets' rows. A baseline that was not held is faster than on the host measured, so a
    /// lead that reaches its target stands, and one that falls short is not judged.</summary>
    internal static TargetRow[] TorchRows(TorchRow wide, TorchRow narrow, bool baselineHeld)
    {
        string Judged(string verdict) => baselineHeld || verdict != Verdict.No ? verdict : "not judged: the baseline was not held (see above)";
        return
        [
            new TargetRow(TargetNames.Wide, string.Create(CultureInfo.InvariantCulture, $"{wide.PeakShare:F1}% of peak, {wide.LeadMedian:F1}× TorchSharp (medians; {wide.LeadBest:F1}× on bests)"), wide.PeakShare >= 30 ? Judged(Verdict.AllAtLeast([wide.LeadMedian], 1.5)) : Verdict.No),
            new TargetRow(TargetNames.Narrow, string.Create(CultureInfo.InvariantCulture, $"{narrow.LeadMedian:F1}× TorchSharp (medians; {narrow.LeadBest:F1}× on bests)"), Judged(Verdict.AllAtLeast([narrow.LeadMedian], 4))),
        ];
    }

    private bool Succeeded(ChildResult r, string what, string[] targets)
    {
        if (r.TimedOut)
        {
            Fail($"{what} ran longer than {ChildTimeout.TotalMinutes:F0} min and was stopped", targets);
            return false;
        }

        if (r.PipesHeld)
        {
            Fail($"{what}: {r.Stderr}", targets);
            return false;
        }

        if (r.ExitCode != 0)
        {
            string tail = string.Join(" / ", r.Stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            Fail($"{what} exited with {r.ExitCode}", targets, tail);
            return false;
        }

        return true;
    }

    /// <summary>Marks <paramref name="targets"/> failed: the table names what failed, the report's end and stderr
    /// also give the child's last lines of stderr (<paramref name="detail"/>).</summary>
    private void Fail(string message, string[] targets, string detail = "")
    {
        _failed = true;
        string full = detail.Length > 0 ? $"{message}: {detail}" : message;
        Console.Error.WriteLine($"error: {full}");
        _details.Add($"error: {full}");
        _rows.AddRange(targets.Select(t => new TargetRow(t, $"failed: {message}", "—")));
    }

    private void Begin(string what)
    {
        Progress($"[{++_stage}/{_stages}] {what}");
        _stageClock.Restart();
    }

    private static void Progress(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private static string Format(double x) => x.ToString("F2", CultureInfo.InvariantCulture);

    private void PrintReport()
    {
        Console.WriteLine($"## Issue 11's targets: {_host}");
        Console.WriteLine();
        foreach (string line in _context)
        {
            Console.WriteLine($"- {line}");
        }

        if (_peaks.Count > 0)
        {
            Console.WriteLine($"- register-only FMA peak, as each gemm-ratios run measured it: {string.Join(", ", _peaks)} GFLOP/s per thread");
        }

        Console.WriteLine($"- {settings.Processes} StepWarmup process(es), {settings.Runs} default run(s), {settings.Rounds} GEMM round(s); each target is judged on the median of its runs (StepWarmup processes, sample runs; for GEMM, gemm-ratios' median ratio of each shape), except two-thread scaling, which divides GanCore's best one-thread time by its best two-thread time");
        Console.WriteLine();
        Console.WriteLine("| target | figure | met? |");
        Console.WriteLine("|---|---|---|");
        foreach (TargetRow row in _rows)
        {
            // A quick run times too little, and GEMMs before the JIT has settled, to say whether a target is met.
            Console.WriteLine($"| {row.Target} | {row.Figure} | {(settings.Quick && row.Met != "—" ? "not judged (--quick)" : row.Met)} |");
        }

        Console.WriteLine();
        Console.WriteLine("### The runs behind it");
        Console.WriteLine();
        foreach (string line in _details)
        {
            Console.WriteLine(line.StartsWith('|') ? line : $"{line}  ");
        }
    }
}

/// <summary>The "met?" column: how a figure compares with its target (and goal, where the issue names one).</summary>
internal static class Verdict
{
    public const string No = "**no**";

    /// <summary>A figure that must not exceed <paramref name="target"/>; at or under <paramref name="goal"/> it meets the goal too.</summary>
    public static string AtMost(double median, double target, double goal = double.NaN) =>
        median <= goal ? "yes, and the goal" : median <= target ? "yes" : No;

    /// <summary>Every one of the figures at least <paramref name="limit"/>; no figures at all is not a pass.</summary>
    public static string AllAtLeast(IEnumerable<double> values, double limit)
    {
        List<double> v = values.ToList();
        return v.Count > 0 && v.All(x => x >= limit) ? "yes" : No;
    }
}

/// <summary>The targets, as the table names them (issue 11's items 2–5 and 7).</summary>
internal static class TargetNames
{
    public const string StepFloor = "seed step / floor ≤ 2.5 (goal 2.0)";
    public const string FirstSteps = "first 500 steps ≤ 2× the steady step";
    public const string DefaultRun = "default sample run ≤ 0.6 s (goal 0.4)";
    public const string SmallGemm = "one thread ≥ 1.0× OpenBLAS, small GAN shapes";
    public const string SquareOne = "one thread ≥ 1.0× OpenBLAS, 128³–2048³";
    public const string SquareTwo = "two threads ≥ 1.0× OpenBLAS at 1024³ and 2048³";
    public const string Scaling = "two threads ≥ 1.8× one thread from 512³";
    public const string Wide = "h = 2048, batch 1024: ≥ 30% of the FMA peak and ≥ 1.5× TorchSharp";
    public const string Narrow = "h = 256, batch 512: ≥ 4× TorchSharp";
}

/// <summary>One line of the report's table.</summary>
internal sealed record TargetRow(string Target, string Figure, string Met);

/// <summary>Median and range of a few figures.</summary>
internal readonly record struct Summary(double Median, double Low, double High)
{
    public static Summary Of(IEnumerable<double> values)
    {
        double[] v = values.Order().ToArray();
        if (v.Length == 0)
        {
            throw new ArgumentException("No values to summarize.", nameof(values));
        }

        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        return new Summary(median, v[0], v[^1]);
    }

    public string Format(string format) => Low == High
        ? Median.ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"median {Median.ToString(format, CultureInfo.InvariantCulture)} ({Low.ToString(format, CultureInfo.InvariantCulture)}–{High.ToString(format, CultureInfo.InvariantCulture)})");

    public override string ToString() => Format("F2");
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using GanCore.Adversarial;
using GanCore.Benchmarks;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using QuadraticGan;
using TorchSharp;
using static TorchSharp.torch;

// GanCore against TorchSharp-cpu on the same GAN step: G 5→h→15 (ReLU), D 15→h→1 (ReLU, logits), minimax objective,
// simultaneous updates, Adam 1e-4 on both networks, one thread each, same batch. Both run in this process, interleaved
// round by round, so their ratio is taken under the same machine state (README.md).
//
// With --mlp it times an MLP classifier's training step instead: inputs→h (ReLU)→classes, softmax cross-entropy, Adam.
//
// With --threads N (N ≥ 2) two more contenders run GanCore's step on more threads: up to N, choosing the count by timing
// as a user's loop does (Gan.Step's own tuner; a StepThreadTuner around the MLP step), and on N fixed
// (Gemm.AdaptiveParallelism = false); four more columns give their times and one thread's time over each. libtorch
// stays on one thread.
//
// Usage: TorchSharpComparison [--sizes 128x64,256x512,2048x1024] [--mlp 784-256-10x128,...] [--threads 2] [--rounds 5]
//        [--seconds 1.0]
var sizes = new List<(int Hidden, int Batch)> { (128, 64), (256, 512), (512, 256), (2048, 1024) };
int rounds = 5;
double seconds = 1.0;
bool gancoreOnly = false;
List<MlpShape>? mlpShapes = null;
int threads = 1;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--sizes":
            sizes = args[i + 1].Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
            break;
        case "--rounds":
            rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--gancore-only":
            // For profiling GanCore's step alone (perf record): TorchSharp is not loaded.
            gancoreOnly = bool.Parse(args[i + 1]);
            break;
        case "--mlp":
            mlpShapes = args[i + 1].Split(',').Select(MlpShape.Parse).ToList();
            break;
        case "--threads":
            threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (threads < 1)
            {
                throw new ArgumentException($"--threads: {threads} is not a thread count (1 or more).", nameof(args));
            }

            break;
        case "--seconds":
            seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            throw new ArgumentException($"Unknown option '{args[i]}'.", nameof(args));
    }
}

Gemm.MaxDegreeOfParallelism = 1;
if (gancoreOnly)
{
    foreach ((int hidden, int batch) in sizes)
    {
        var step = new GanCoreStep(hidden, batch);
        int n = Calibrate(step.Step, seconds);
        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            best = Math.Min(best, Time(step.Step, n));
        }

        Console.WriteLine($"GanCore h = {hidden}, batch {batch}: best {best * 1e6:F0} µs/step");
    }

    return;
}

torch.set_num_threads(1);
torch.set_num_interop_threads(1);
double peak = FmaPeak();
Console.WriteLine($"// CPU: {HostDescription.CpuModel()}; {Environment.ProcessorCount} logical processors; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {HostDescription.LoadAverage(oneMinute: true)}");
Console.WriteLine($"// TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch CPU), torch.get_num_threads() = {torch.get_num_threads()}; GanCore Gemm.MaxDegreeOfParallelism = 1");
Console.WriteLine($"// register-only FMA peak measured now: {peak:F1} GFLOP/s on one thread; a step's GEMM work is 2·batch·h·137 flops");
Console.WriteLine($"// median and best of {rounds} interleaved rounds of ~{seconds:F1} s per contender");
string threadColumns = threads > 1 ? $" GanCore ≤ {threads} threads, tuned, µs/step (median) | {threads} fixed | 1 thread / tuned | 1 thread / fixed |" : "";
string threadRule = threads > 1 ? "---:|---:|---:|---:|" : "";
if (threads > 1)
{
    Console.WriteLine($"// and GanCore on more threads, in the same rounds: up to {threads}, the count chosen by timing the steps (a StepThreadTuner), and {threads} fixed (Gemm.AdaptiveParallelism = false)");
}

double torchGemm = TorchMatmulGflops();
Console.WriteLine($"// libtorch's own GEMM now, as a sanity check of the baseline: torch.mm 1024×1024·1024×1024 at {torchGemm:F1} GFLOP/s, one thread");
if (torchGemm > 1.1 * peak)
{
    // No GEMM outruns the FMA peak of the widest vectors it may use. libtorch did: it used wider vectors than .NET was
    // allowed (a host simulated with DOTNET_EnableAVX*=0), so it ran faster than on such a host. tools/Targets reads
    // this line by its start and does not judge a lead that falls short against such a baseline.
    Console.WriteLine($"{ComparisonReport.BaselineNotHeld} libtorch's GEMM ran at {torchGemm:F1} GFLOP/s, {torchGemm / peak:F1}× the {peak:F1} GFLOP/s peak of the vectors .NET may use here, so it used wider instructions than this host offers .NET, and every lead below is understated (MKL honours MKL_ENABLE_INSTRUCTIONS only on Intel CPUs; MKL_CBWR=COMPATIBLE holds it to SSE2 on any CPU)");
}
if (mlpShapes is not null)
{
    Console.WriteLine("// an MLP classifier's training step: inputs→h (ReLU)→classes, softmax cross-entropy on class indices, Adam 1e-3; a step's GEMM work is 2·batch·(2·inputs·h + 3·h·classes) flops (no input gradient)");
    Console.WriteLine($"| inputs-h-classes, batch | GanCore µs/step (median) | GanCore best | share of FMA peak (median) | TorchSharp µs/step (median) | TorchSharp best | GanCore's lead (medians) | lead (bests) |{threadColumns}");
    Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|---:|{threadRule}");
    foreach (MlpShape shape in mlpShapes)
    {
        var ours = new GanCoreMlpStep(shape);
        using var theirs = new TorchMlpStep(shape);
        StepThreadTuner? tuner = threads > 1 ? new StepThreadTuner() : null;
        Action[] many = tuner is not null
            ? [OnThreads(new GanCoreMlpStep(shape).Step, threads, tuner, adaptive: true), OnThreads(new GanCoreMlpStep(shape).Step, threads, new StepThreadTuner(), adaptive: false)]
            : [];
        double flops = 2.0 * shape.Batch * ((2.0 * shape.Inputs * shape.Hidden) + (3.0 * shape.Hidden * shape.Classes));
        Console.WriteLine(Row(shape.ToString(), flops, Interleave([ours.Step, theirs.Step, .. many], rounds, seconds, () => tuner?.Settled ?? true)));
    }

    return;
}

Console.WriteLine($"| h, batch | GanCore µs/step (median) | GanCore best | share of FMA peak (median) | TorchSharp µs/step (median) | TorchSharp best | GanCore's lead (medians) | lead (bests) |{threadColumns}");
Console.WriteLine($"|---|---:|---:|---:|---:|---:|---:|---:|{threadRule}");
foreach ((int hidden, int batch) in sizes)
{
    var ours = new GanCoreStep(hidden, batch);
    using var theirs = new TorchStep(hidden, batch);
    GanCoreStep? tuned = threads > 1 ? new GanCoreStep(hidden, batch) : null;
    Action[] many = tuned is not null
        ? [OnThreads(tuned.Step, threads, tuner: null, adaptive: true), OnThreads(new GanCoreStep(hidden, batch).Step, threads, tuner: null, adaptive: false)]
        : [];
    Console.WriteLine(Row(string.Create(CultureInfo.InvariantCulture, $"{hidden}, {batch}"), StepArithmeticFloor.FlopsFor(hidden, batch), Interleave([ours.Step, theirs.Step, .. many], rounds, seconds, () => tuned?.ThreadTuner.Settled ?? true)));
}

// A table row: GanCore's and TorchSharp's medians and bests, the share of the peak, the leads, and the many-thread columns.
string Row(string shape, double flops, Timings t)
{
    string row = string.Create(
        CultureInfo.InvariantCulture,
        $"| {shape} | {t.Ours.Median * 1e6:F0} | {t.Ours.Best * 1e6:F0} | {flops / t.Ours.Median / 1e9 / peak * 100:F1}% | {t.Theirs.Median * 1e6:F0} | {t.Theirs.Best * 1e6:F0} | {t.Theirs.Median / t.Ours.Median:F2}× | {t.Theirs.Best / t.Ours.Best:F2}× |");
    return t.Tuned is { } tuned && t.Fixed is { } fixedCount
        ? row + string.Create(CultureInfo.InvariantCulture, $" {tuned.Median * 1e6:F0} | {fixedCount.Median * 1e6:F0} | {t.Ours.Median / tuned.Median:F2}× | {t.Ours.Median / fixedCount.Median:F2}× |")
        : row;
}

// GanCore's step on up to `count` threads, between a tuner's Begin and End when one is given (the GAN's step brings its
// own), choosing its count by timing or, with `adaptive` false, on `count` fixed; every other contender runs with one.
static Action OnThreads(Action step, int count, StepThreadTuner? tuner, bool adaptive) => () =>
{
    Gemm.MaxDegreeOfParallelism = count;
    Gemm.AdaptiveParallelism = adaptive;
    tuner?.Begin();
    try
    {
        step();
    }
    finally
    {
        tuner?.End();
        Gemm.MaxDegreeOfParallelism = 1;
        Gemm.AdaptiveParallelism = true;
    }
};

// Times the steps (GanCore, TorchSharp, then GanCore tuned and fixed on more threads if given) in `rounds` rounds of
// about `seconds` each, rotating which goes first; medians and bests (seconds per step). The tuned step (the third) is
// first run until `tunerSettled` says its tuner's close first trials are over (at h = 2048 they took the first two of
// five one-second rounds, which then read 1.3–1.4× the fixed step; benchmarks/RESULTS.md, fifty-third session), so
// that every column is a steady state.
static Timings Interleave(Action[] steps, int rounds, double seconds, Func<bool> tunerSettled)
{
    if (steps.Length > 2)
    {
        var settling = Stopwatch.StartNew();
        while (!tunerSettled())
        {
            steps[2]();
            if (settling.Elapsed.TotalSeconds > 60)
            {
                throw new InvalidOperationException("The tuned step's first trials did not end within 60 s.");
            }
        }
    }

    int[] reps = steps.Select(s => Calibrate(s, seconds)).ToArray();
    List<double>[] times = steps.Select(_ => new List<double>()).ToArray();
    for (int r = 0; r < rounds; r++)
    {
        for (int j = 0; j < steps.Length; j++)
        {
            int c = (r + j) % steps.Length;
            times[c].Add(Time(steps[c], reps[c]));
        }
    }

    (double, double) Of(int c) => (Median(times[c]), times[c].Min());
    return steps.Length > 2 ? new Timings(Of(0), Of(1), Of(2), Of(3)) : new Timings(Of(0), Of(1), null, null);
}

static double TorchMatmulGflops()
{
    using var scope = torch.NewDisposeScope();
    Tensor a = torch.rand(1024, 1024), b = torch.rand(1024, 1024);
    torch.mm(a, b);
    double best = double.MaxValue;
    for (int i = 0; i < 5; i++)
    {
        long start = Stopwatch.GetTimestamp();
        torch.mm(a, b);
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
}

static int Calibrate(Action step, double seconds)
{
    // Warm up (JIT, buffer sizes, libtorch's allocator), then size a round to about `seconds`.
    for (int i = 0; i < 5; i++)
    {
        step();
    }

    double one = Time(step, 3);
    return Math.Max(3, (int)(seconds / one));
}

static double Time(Action step, int reps)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < reps; i++)
    {
        step();
    }

    return Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double FmaPeak()
{
    // 12 independent Vector512 FMA chains (Vector256 where 512 bits are not accelerated), best of 3 windows of 50 ms.
    double best = 0;
    for (int window = 0; window < 3; window++)
    {
        var watch = Stopwatch.StartNew();
        long flops = 0;
        float sink = 0;
        long chunk = 100_000L * 12 * 2 * Vector512<float>.Count;
        while (watch.Elapsed.TotalMilliseconds < 50)
        {
            sink += StepArithmeticFloor.Run(chunk);
            flops += chunk;
        }

        best = Math.Max(best, flops / watch.Elapsed.TotalSeconds / 1e9);
        GC.KeepAlive(sink);
    }

    // StepArithmeticFloor.Run does the flops asked for with whichever vectors the hardware runs, so no rescaling.
    return best;
}

/// <summary>The GAN step through GanCore's public API (as GanStepBenchmarks builds the seed GAN, at any width and batch).</summary>
internal sealed class GanCoreStep
{
    private readonly Gan _gan;

    public GanCoreStep(int hidden, int batch)
    {
        var random = new RandomSource(1);
        var generator = new Sequential(new Dense(5, hidden, random), new ReLU(), new Dense(hidden, QuadraticFamily.PointCount, random));
        var discriminator = new Sequential(new Dense(QuadraticFamily.PointCount, hidden, random), new ReLU(), new Dense(hidden, 1, random));
        _gan = new Gan(
            generator,
            discriminator,
            new Adam(generator.Parameters, 1e-4f),
            new Adam(discriminator.Parameters, 1e-4f),
            new GaussianNoise(5),
            new DelegateSampler(QuadraticFamily.PointCount, static (count, r) => QuadraticFamily.Sample(r, count)),
            random,
            new GanOptions { Objective = GanObjective.Minimax, Schedule = GanSchedule.Simultaneous, BatchSize = batch });
    }

    public void Step() => _gan.Step();

    /// <summary>The tuner <see cref="Gan.Step"/> chooses its thread count with.</summary>
    public StepThreadTuner ThreadTuner => _gan.ThreadTuner;
}

/// <summary>
/// The same step in TorchSharp, written as a PyTorch user would: D's loss on the real batch and the detached fake batch,
/// G's minimax loss log(1 − D(G(z))) = −softplus(D(G(z))) through D with D's parameters excluded from the graph, then
/// both Adam updates (gradients of both taken at the same parameters: simultaneous). Real curves come from the same
/// sampler as GanCore's, copied into a tensor every step.
/// </summary>
internal sealed class TorchStep : IDisposable
{
    private readonly int _batch;
    private readonly nn.Module<Tensor, Tensor> _g;
    private readonly nn.Module<Tensor, Tensor> _d;
    private readonly optim.Optimizer _gOpt;
    private readonly optim.Optimizer _dOpt;
    private readonly IList<TorchSharp.Modules.Parameter> _dParams;
    private readonly float[] _real;
    private readonly RandomSource _random = new(1);

    public TorchStep(int hidden, int batch)
    {
        torch.manual_seed(1);
        _batch = batch;
        _g = nn.Sequential(nn.Linear(5, hidden), nn.ReLU(), nn.Linear(hidden, QuadraticFamily.PointCount));
        _d = nn.Sequential(nn.Linear(QuadraticFamily.PointCount, hidden), nn.ReLU(), nn.Linear(hidden, 1));
        _gOpt = optim.Adam(_g.parameters(), 1e-4);
        _dOpt = optim.Adam(_d.parameters(), 1e-4);
        _dParams = _d.parameters().ToList();
        _real = new float[batch * QuadraticFamily.PointCount];
    }

    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        QuadraticFamily.Sample(_random, _real, _batch);
        Tensor x = torch.tensor(_real, [_batch, QuadraticFamily.PointCount]);
        Tensor z = torch.randn(_batch, 5);
        Tensor fake = _g.forward(z);

        // D: minimize −log D(x) − log(1 − D(G(z))) = softplus(−l_real) + softplus(l_fake).
        _dOpt.zero_grad();
        Tensor dLoss = nn.functional.softplus(-_d.forward(x)).mean() + nn.functional.softplus(_d.forward(fake.detach())).mean();
        dLoss.backward();

        // G: minimize log(1 − D(G(z))) = −softplus(l_fake), through D without D's parameter gradients.
        _gOpt.zero_grad();
        foreach (TorchSharp.Modules.Parameter p in _dParams)
        {
            p.requires_grad = false;
        }

        Tensor gLoss = -nn.functional.softplus(_d.forward(fake)).mean();
        gLoss.backward();
        foreach (TorchSharp.Modules.Parameter p in _dParams)
        {
            p.requires_grad = true;
        }

        _dOpt.step();
        _gOpt.step();
    }

    public void Dispose()
    {
        _g.Dispose();
        _d.Dispose();
    }
}

/// <summary>An MLP classifier's shape: inputs→hidden→classes at a batch size, written <c>784-256-10x128</c>.</summary>
internal readonly record struct MlpShape(int Inputs, int Hidden, int Classes, int Batch)
{
    public static MlpShape Parse(string text)
    {
        string[] parts = text.Split('x');
        string[] widths = parts[0].Split('-');
        if (parts.Length != 2 || widths.Length != 3
            || !int.TryParse(widths[0], CultureInfo.InvariantCulture, out int inputs) || !int.TryParse(widths[1], CultureInfo.InvariantCulture, out int hidden)
            || !int.TryParse(widths[2], CultureInfo.InvariantCulture, out int classes) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int batch)
            || inputs < 1 || hidden < 1 || classes < 2 || batch < 1)
        {
            throw new ArgumentException($"--mlp: '{text}' is not inputs-hidden-classesxbatch with positive widths, at least 2 classes and a positive batch (e.g. 784-256-10x128).", nameof(text));
        }

        return new MlpShape(inputs, hidden, classes, batch);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Inputs}-{Hidden}-{Classes}, {Batch}");
}

/// <summary>The classifier's step through GanCore's public API, as a custom loop writes it: zero, forward, loss,
/// backward (parameters only), Adam. The same fixed batch every step.</summary>
internal sealed class GanCoreMlpStep
{
    private readonly Sequential _model;
    private readonly Adam _adam;
    private readonly SoftmaxCrossEntropy _loss = new();
    private readonly Matrix _x;
    private readonly Matrix _labels;
    private readonly Matrix _gradient;

    public GanCoreMlpStep(MlpShape shape)
    {
        var random = new RandomSource(1);
        _model = new Sequential(new Dense(shape.Inputs, shape.Hidden, random), new ReLU(), new Dense(shape.Hidden, shape.Classes, random));
        _adam = new Adam(_model.Parameters, 1e-3f);
        _x = new Matrix(shape.Batch, shape.Inputs);
        random.FillGaussian(_x.Span);
        _labels = new Matrix(shape.Batch, 1);
        for (int i = 0; i < shape.Batch; i++)
        {
            _labels[i, 0] = i % shape.Classes;
        }

        _gradient = new Matrix(shape.Batch, shape.Classes);
    }

    public void Step()
    {
        _model.ZeroGradients();
        _loss.Compute(_model.Forward(_x), _labels, _gradient);
        _model.BackwardParameters(_gradient);
        _adam.Step();
    }
}

/// <summary>The same step in TorchSharp as a PyTorch user writes it: zero_grad, cross_entropy of the logits, backward,
/// Adam (the input needs no gradient, so none is computed).</summary>
internal sealed class TorchMlpStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _adam;
    private readonly Tensor _x;
    private readonly Tensor _labels;

    public TorchMlpStep(MlpShape shape)
    {
        torch.manual_seed(1);
        _model = nn.Sequential(nn.Linear(shape.Inputs, shape.Hidden), nn.ReLU(), nn.Linear(shape.Hidden, shape.Classes));
        _adam = optim.Adam(_model.parameters(), 1e-3);
        _x = torch.randn(shape.Batch, shape.Inputs);
        _labels = torch.tensor(Enumerable.Range(0, shape.Batch).Select(i => (long)(i % shape.Classes)).ToArray());
    }

    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        _adam.zero_grad();
        Tensor loss = nn.functional.cross_entropy(_model.forward(_x), _labels);
        loss.backward();
        _adam.step();
    }

    public void Dispose()
    {
        _model.Dispose();
        _x.Dispose();
        _labels.Dispose();
    }
}

/// <summary>Seconds per step, median and best of the rounds: GanCore and TorchSharp on one thread, and GanCore on more
/// threads, tuned and fixed (when run).</summary>
internal readonly record struct Timings((double Median, double Best) Ours, (double Median, double Best) Theirs, (double Median, double Best)? Tuned, (double Median, double Best)? Fixed);

using BenchmarkDotNet.Attributes;
using GanCore.Adversarial;
using GanCore.Kernels;

namespace GanCore.Benchmarks;

/// <summary>
/// The seed GAN's step grown wide (issue 11, item 5): G 5→h→15, D 15→h→1, Adam 1e-4, minimax, simultaneous, one thread,
/// at h = 256 with batch 512 and h = 2048 with batch 1024. A step's GEMMs do 2·batch·h·137 floating-point operations
/// (<see cref="FlopsPerStep"/>); <see cref="ArithmeticFloor"/> does as many register-only FMAs, so Step / ArithmeticFloor
/// is the inverse of the step's share of the FMA peak, measured in the same run. The TorchSharp comparison at the same
/// sizes lives outside the solution, in benchmarks/TorchSharpComparison.
/// </summary>
[MemoryDiagnoser]
public class GanStepScaleBenchmarks
{
    private Gan _gan = null!;
    private long _flops;

    /// <summary>Hidden width h and batch size, as "h x batch".</summary>
    [Params("256x512", "2048x1024")]
    public string Size { get; set; } = "256x512";

    private int Hidden => int.Parse(Size.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);

    private int Batch => int.Parse(Size.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The GEMM operations of one step at this size (<see cref="StepArithmeticFloor.FlopsFor"/>).</summary>
    public long FlopsPerStep => StepArithmeticFloor.FlopsFor(Hidden, Batch);

    /// <summary>Builds the GAN and trains a few steps so that every buffer has its final size.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _gan = GanStepBenchmarks.BuildSeedGan(hidden: Hidden, batch: Batch);
        _gan.Train(5);
        _flops = FlopsPerStep;
    }

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>One simultaneous minimax step.</summary>
    [Benchmark(Baseline = true)]
    public GanStepMetrics Step() => _gan.Step();

    /// <summary><see cref="FlopsPerStep"/> operations as register-only FMAs (12 independent Vector512 chains).</summary>
    [Benchmark]
    public float ArithmeticFloor() => StepArithmeticFloor.Run(_flops);
}

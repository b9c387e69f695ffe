using BenchmarkDotNet.Attributes;
using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using QuadraticGan;

namespace GanCore.Benchmarks;

/// <summary>
/// One training step of the seed configuration: G 5→128→15, D 15→128→1, Adam 1e-4, batch 64, minimax,
/// simultaneous updates; single-threaded. Its GEMMs do 2,244,608 floating-point operations per step.
/// <see cref="ArithmeticFloor"/> does the same number of operations as register-only fused multiply-adds: the
/// fastest this core can possibly run a step right now, measured in the same run, so the ratio Step / ArithmeticFloor
/// can be compared across machines and moments on a shared, noisy host.
/// </summary>
[MemoryDiagnoser]
public class GanStepBenchmarks
{
    /// <summary>Steps the steady-state case trains before it is measured: enough for dead ReLU units' Adam moments to have
    /// decayed to the bottom of the float range (about 2,000 seed steps), where subnormal arithmetic would show.</summary>
    public const int SteadyStateWarmupSteps = 3_000;

    private Gan _gan = null!;
    private Gan _steady = null!;
    private Gan _steadyBoxMuller = null!;

    /// <summary>Builds the seed GAN and runs a few steps so that every buffer has its final size.</summary>
    [GlobalSetup(Targets = [nameof(Step), nameof(ArithmeticFloor)])]
    public void Setup()
    {
        _gan = BuildSeedGan();
        _gan.Train(10);
    }

    /// <summary>Builds the seed GAN and trains it <see cref="SteadyStateWarmupSteps"/> steps first.</summary>
    [GlobalSetup(Target = nameof(SteadyStateStep))]
    public void SetupSteadyState()
    {
        _steady = BuildSeedGan();
        _steady.Train(SteadyStateWarmupSteps);
    }

    /// <summary>The seed GAN with <see cref="GaussianSampling.BoxMuller"/> noise, trained <see cref="SteadyStateWarmupSteps"/> steps first.</summary>
    [GlobalSetup(Target = nameof(SteadyStateStepBoxMuller))]
    public void SetupSteadyStateBoxMuller()
    {
        _steadyBoxMuller = BuildSeedGan(GaussianSampling.BoxMuller);
        _steadyBoxMuller.Train(SteadyStateWarmupSteps);
    }

    /// <summary>The seed configuration (also used by <see cref="StepBreakdownRunner"/> and, grown to width
    /// <paramref name="hidden"/> and batch <paramref name="batch"/>, by <see cref="GanStepScaleBenchmarks"/>), with the
    /// given noise sampling (the seed's own is <see cref="GaussianSampling.Polar"/>, 0.1.0's stream), on one thread.</summary>
    internal static Gan BuildSeedGan(GaussianSampling sampling = GaussianSampling.Polar, int hidden = 128, int batch = 64)
    {
        Gemm.MaxDegreeOfParallelism = 1;
        var random = new RandomSource(1);
        var generator = new Sequential(new Dense(5, hidden, random), new ReLU(), new Dense(hidden, QuadraticFamily.PointCount, random));
        var discriminator = new Sequential(new Dense(QuadraticFamily.PointCount, hidden, random), new ReLU(), new Dense(hidden, 1, random));
        return new Gan(
            generator,
            discriminator,
            new Adam(generator.Parameters, 1e-4f),
            new Adam(discriminator.Parameters, 1e-4f),
            new GaussianNoise(5, 1f, sampling),
            new DelegateSampler(QuadraticFamily.PointCount, static (batch, r) => QuadraticFamily.Sample(r, batch)),
            random,
            new GanOptions { Objective = GanObjective.Minimax, Schedule = GanSchedule.Simultaneous, BatchSize = batch });
    }

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>The GEMM operations of one step (<see cref="StepArithmeticFloor.FlopsPerStep"/>).</summary>
    public const int FlopsPerStep = StepArithmeticFloor.FlopsPerStep;

    /// <summary>One simultaneous minimax step: both forward passes, both backward passes, both Adam updates.</summary>
    [Benchmark(Baseline = true)]
    public GanStepMetrics Step() => _gan.Step();

    /// <summary>The same step after <see cref="SteadyStateWarmupSteps"/> training steps: the speed of a long run.</summary>
    [Benchmark]
    public GanStepMetrics SteadyStateStep() => _steady.Step();

    /// <summary>The steady-state step with the faster, vectorized Box–Muller noise (a different random stream).</summary>
    [Benchmark]
    public GanStepMetrics SteadyStateStepBoxMuller() => _steadyBoxMuller.Step();

    /// <summary>
    /// <see cref="FlopsPerStep"/> operations as Vector512 fused multiply-adds on 12 independent register accumulators
    /// (narrower vectors where Vector512 is not accelerated): the arithmetic floor of a step on this core.
    /// </summary>
    [Benchmark]
    public float ArithmeticFloor() => StepArithmeticFloor.Run();
}

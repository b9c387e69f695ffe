using BenchmarkDotNet.Attributes;
using GanCore.Adversarial;
using GanCore.Diagnostics;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Benchmarks;

/// <summary>
/// One training step of the seed configuration: G 5→128→15, D 15→128→1, Adam 1e-4, batch 64, minimax,
/// simultaneous updates; single-threaded. About 2.6 MFLOP per step (≈ 12 µs at one core's FMA peak).
/// </summary>
[MemoryDiagnoser]
public class GanStepBenchmarks
{
    private Gan _gan = null!;

    /// <summary>Builds the seed GAN and runs a few steps so that every buffer has its final size.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        var random = new RandomSource(1);
        var generator = new Sequential(new Dense(5, 128, random), new ReLU(), new Dense(128, QuadraticFamily.PointCount, random));
        var discriminator = new Sequential(new Dense(QuadraticFamily.PointCount, 128, random), new ReLU(), new Dense(128, 1, random));
        _gan = new Gan(
            generator,
            discriminator,
            new Adam(generator.Parameters, 1e-4f),
            new Adam(discriminator.Parameters, 1e-4f),
            new GaussianNoise(5),
            new DelegateSampler(QuadraticFamily.PointCount, static (batch, r) => QuadraticFamily.Sample(r, batch)),
            random,
            new GanOptions { Objective = GanObjective.Minimax, Schedule = GanSchedule.Simultaneous, BatchSize = 64 });
        _gan.Train(10);
    }

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>One simultaneous minimax step: both forward passes, both backward passes, both Adam updates.</summary>
    [Benchmark]
    public GanStepMetrics Step() => _gan.Step();
}

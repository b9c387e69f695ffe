using BenchmarkDotNet.Attributes;
using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Benchmarks;

/// <summary>
/// The element-wise reductions over one span: <c>AllFinite</c> (Fit checks every batch's output with it, the GAN its
/// parameters when the optimizer did not), <c>SumOfSquares</c> (the gradient norm of <c>Optimizer.GradientClipNorm</c>)
/// and <c>Dot</c> (one accumulator) as the reference the four-sum kernel is measured against.
/// </summary>
[MemoryDiagnoser]
public class ReductionBenchmarks
{
    private float[] _x = null!;

    /// <summary>Floats in the span: the seed discriminator's 15×128 weight matrix, and a 128×128 one.</summary>
    [Params(1920, 16384)]
    public int Length { get; set; }

    /// <summary>Fills the span with Gaussian values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = new float[Length];
        new RandomSource(3).FillGaussian(_x);
    }

    /// <summary>Σ x·x in one accumulator: the reference.</summary>
    [Benchmark(Baseline = true)]
    public float Dot() => Elementwise.Dot(_x, _x);

    /// <summary>Σ x² in four independent sums.</summary>
    [Benchmark]
    public float SumOfSquares() => Elementwise.SumOfSquares(_x);

    /// <summary>Σ x·0 in four independent sums, compared with 0.</summary>
    [Benchmark]
    public bool AllFinite() => Elementwise.AllFinite(_x);
}

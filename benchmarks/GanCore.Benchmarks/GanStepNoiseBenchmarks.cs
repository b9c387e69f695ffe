using BenchmarkDotNet.Attributes;
using GanCore.Randomness;

namespace GanCore.Benchmarks;

/// <summary>
/// The latent noise of one seed GAN step, 64 × 5 standard normal floats, three ways: row by row with the polar method
/// (what <c>GaussianNoise.Fill</c> does today), the whole batch with the polar method, and the whole batch with the
/// vectorized Box–Muller transform (<see cref="RandomSource.FillGaussianVectorized"/>, a different stream).
/// </summary>
[MemoryDiagnoser]
public class GanStepNoiseBenchmarks
{
    private const int Rows = 64;
    private const int Columns = 5;
    private readonly float[] _noise = new float[Rows * Columns];
    private readonly RandomSource _random = new(1);

    /// <summary>64 calls of FillGaussian over 5 values each (polar method, scalar log).</summary>
    [Benchmark(Baseline = true)]
    public void PolarRowByRow()
    {
        for (int i = 0; i < Rows; i++)
        {
            _random.FillGaussian(_noise.AsSpan(i * Columns, Columns));
        }
    }

    /// <summary>One FillGaussian over the 320 values.</summary>
    [Benchmark]
    public void PolarBatch() => _random.FillGaussian(_noise);

    /// <summary>One FillGaussianVectorized over the 320 values.</summary>
    [Benchmark]
    public void BoxMullerVectorizedBatch() => _random.FillGaussianVectorized(_noise);
}

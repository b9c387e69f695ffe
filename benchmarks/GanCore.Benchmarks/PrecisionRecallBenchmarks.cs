using BenchmarkDotNet.Attributes;
using GanCore.Diagnostics;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>
/// <see cref="PrecisionRecall.Compute"/> on 1,000 × 15 real against 1,000 × 15 generated samples (the QuadraticGan
/// sample's shape), at the scalar width (the one-pair-at-a-time loop the library ran before it was vectorized: the
/// baseline) and at the vector widths. Every width returns the same bits (PrecisionRecallTests).
/// </summary>
[MemoryDiagnoser]
public class PrecisionRecallBenchmarks
{
    private Matrix _real = null!;
    private Matrix _generated = null!;

    /// <summary>"curves": a·x² at 15 points, a ~ U(1, 2), generated with noise of 0.01 (the sample's data, a 1-D manifold
    /// in 15-D); "gaussian": standard normal real, generated with σ = 1.2.</summary>
    [Params("curves", "gaussian")]
    public string Data { get; set; } = "curves";

    /// <summary>Draws the two sets.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(11);
        _real = new Matrix(1000, 15);
        _generated = new Matrix(1000, 15);
        if (Data == "gaussian")
        {
            random.FillGaussian(_real.Span);
            random.FillGaussian(_generated.Span, 0f, 1.2f);
            return;
        }

        for (int i = 0; i < 1000; i++)
        {
            double a = random.NextUniform(1, 2);
            double b = random.NextUniform(1, 2);
            for (int t = 0; t < 15; t++)
            {
                double x = -1 + (t / 7.0);
                _real[i, t] = (float)(a * x * x);
                _generated[i, t] = (float)((b * x * x) + (0.01 * random.NextGaussian()));
            }
        }
    }

    /// <summary>The scalar loop, one pair at a time.</summary>
    [Benchmark(Baseline = true)]
    public PrecisionRecallResult Scalar() => At(VectorWidth.Scalar);

    /// <summary>Vector256 (4 lanes, 16 rows per block).</summary>
    [Benchmark]
    public PrecisionRecallResult Vector256() => At(VectorWidth.Bits256);

    /// <summary>The widest width of the host (Vector512 with AVX-512: 8 lanes, 32 rows per block).</summary>
    [Benchmark]
    public PrecisionRecallResult Widest() => At(KernelDispatch.HardwareWidth);

    private PrecisionRecallResult At(VectorWidth width)
    {
        using (KernelDispatch.Cap(width))
        {
            return PrecisionRecall.Compute(_real, _generated);
        }
    }
}

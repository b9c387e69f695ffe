using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>
/// <see cref="SpectralNormDense"/> against a plain <see cref="Dense"/> of the same shape, forward (training mode, one
/// power-iteration step) and backward, at the Mixtures sample's discriminator shapes and batch 256, on one thread.
/// The ratio column is the normalized layer's cost in units of the plain one's, measured in the same run: what the
/// power-iteration step and σ (three matrix-vector products), the scaled copy W̄ = W/σ, and the backward pass's map
/// dW += (G − c·v·uᵀ)/σ (a dot product, a rank-one update and an axpy over W) add to the same GEMMs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SpectralNormBenchmarks
{
    private const int Batch = 256;

    private Dense _dense = null!;
    private SpectralNormDense _normalized = null!;
    private Matrix _input = null!;
    private Matrix _gradient = null!;

    /// <summary>Input width → output width: the Mixtures discriminator's three layers.</summary>
    [Params("2x128", "128x128", "128x1")]
    public string Shape { get; set; } = "2x128";

    /// <summary>Builds both layers and their operands, and runs one forward pass of each so Backward has something to work on.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        int[] d = Shape.Split('x').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var random = new RandomSource(1);
        _dense = new Dense(d[0], d[1], random);
        _normalized = new SpectralNormDense(d[0], d[1], random);
        _input = new Matrix(Batch, d[0]);
        _gradient = new Matrix(Batch, d[1]);
        random.FillGaussian(_input.Span);
        random.FillGaussian(_gradient.Span);
        _dense.Forward(_input);
        _normalized.Forward(_input);
    }

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>Y = X·W + b.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public Matrix DenseForward() => _dense.Forward(_input);

    /// <summary>One power-iteration step on u, σ = ‖W·u‖, W̄ = W/σ, Y = X·W̄ + b.</summary>
    [Benchmark]
    [BenchmarkCategory("Forward")]
    public Matrix SpectralNormForward() => _normalized.Forward(_input);

    /// <summary>dW += Xᵀ·dY, db += Σ dY, dX = dY·Wᵀ.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Backward")]
    public Matrix DenseBackward() => _dense.Backward(_gradient);

    /// <summary>G = Xᵀ·dY, dW += (G − c·v·uᵀ)/σ, db += Σ dY, dX = dY·W̄ᵀ.</summary>
    [Benchmark]
    [BenchmarkCategory("Backward")]
    public Matrix SpectralNormBackward() => _normalized.Backward(_gradient);
}

using BenchmarkDotNet.Attributes;
using GanCore.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace GanCore.Benchmarks;

/// <summary>
/// GEMM at the seed GAN's dense-layer shapes at batch 64 (forward A·B, weight gradient Aᵀ·B, input gradient A·Bᵀ),
/// against OpenBLAS (when present), MathNet.Numerics' managed provider and a naive triple loop, in the same run.
/// These shapes always run on one thread.
/// </summary>
[Config(typeof(GemmConfig))]
[MemoryDiagnoser]
public class GemmSmallBenchmarks : GemmBenchmarkBase
{
    /// <summary>Form and M×K×N.</summary>
    [Params(
        "AB 64x5x128",
        "AB 64x128x15",
        "AB 64x15x128",
        "AB 64x128x1",
        "AtB 15x64x128",
        "AtB 128x64x15",
        "AtB 5x64x128",
        "AtB 128x64x1",
        "ABt 64x128x15",
        "ABt 64x15x128",
        "ABt 64x1x128")]
    public string Shape { get; set; } = "AB 64x15x128";

    /// <inheritdoc/>
    protected override string ShapeText => Shape;

    /// <inheritdoc/>
    protected override int ThreadCount => 1;
}

/// <summary>Square GEMMs from 128³ to 2048³ on one thread and on all cores, against the same baselines.</summary>
[Config(typeof(GemmConfig))]
[MemoryDiagnoser]
public class GemmLargeBenchmarks : GemmBenchmarkBase
{
    /// <summary>Form and M×K×N.</summary>
    [Params("AB 128x128x128", "AB 256x256x256", "AB 512x512x512", "AB 1024x1024x1024", "AB 2048x2048x2048")]
    public string Shape { get; set; } = "AB 512x512x512";

    /// <summary>Threads for GanCore (Gemm.MaxDegreeOfParallelism) and OpenBLAS; the other baselines use one.</summary>
    [ParamsSource(nameof(ThreadOptions))]
    public int Threads { get; set; } = 1;

    /// <summary>1 and every core.</summary>
    public static IEnumerable<int> ThreadOptions => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <inheritdoc/>
    protected override string ShapeText => Shape;

    /// <inheritdoc/>
    protected override int ThreadCount => Threads;
}

/// <summary>
/// The skinny GEMMs of the h = 2048, batch 1024 GAN (G 5→2048→15, D 15→2048→1): forward A·B, weight gradient Aᵀ·B and
/// input gradient A·Bᵀ. K or N is 1, 5 or 15 while the other two sides are 1024 and 2048, so the large operand should be
/// streamed once, never packed. One thread and all cores.
/// </summary>
[Config(typeof(GemmConfig))]
[MemoryDiagnoser]
public class GemmSkinnyBenchmarks : GemmBenchmarkBase
{
    /// <summary>Form and M×K×N.</summary>
    [Params(
        "AB 1024x5x2048",
        "AB 1024x2048x15",
        "AB 1024x15x2048",
        "AB 1024x2048x1",
        "AtB 5x1024x2048",
        "AtB 2048x1024x15",
        "AtB 15x1024x2048",
        "AtB 2048x1024x1",
        "ABt 1024x15x2048",
        "ABt 1024x2048x15",
        "ABt 1024x1x2048")]
    public string Shape { get; set; } = "AB 1024x2048x15";

    /// <summary>Threads for GanCore and OpenBLAS.</summary>
    [ParamsSource(nameof(ThreadOptions))]
    public int Threads { get; set; } = 1;

    /// <summary>1 and every core.</summary>
    public static IEnumerable<int> ThreadOptions => GemmLargeBenchmarks.ThreadOptions;

    /// <inheritdoc/>
    protected override string ShapeText => Shape;

    /// <inheritdoc/>
    protected override int ThreadCount => Threads;
}

/// <summary>The operands and the four contenders shared by the GEMM benchmark classes.</summary>
public abstract unsafe class GemmBenchmarkBase
{
    private GemmOperand _a = null!;
    private GemmOperand _b = null!;
    private GemmOperand _c = null!;
    private Matrix<float> _ma = null!;
    private Matrix<float> _mb = null!;
    private Matrix<float> _mc = null!;
    private GemmShape _s;
    private int _lda;
    private int _ldb;
    private int _savedDegree;

    /// <summary>The parameter string of the case.</summary>
    protected abstract string ShapeText { get; }

    /// <summary>The threads GanCore and OpenBLAS may use.</summary>
    protected abstract int ThreadCount { get; }

    /// <summary>Allocates and fills the operands, and sets the thread counts.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _s = GemmShape.Parse(ShapeText);
        (int aRows, _lda) = _s.TransposeA ? (_s.K, _s.M) : (_s.M, _s.K);
        (int bRows, _ldb) = _s.TransposeB ? (_s.N, _s.K) : (_s.K, _s.N);
        var rng = new Random(42);
        _a = new GemmOperand(aRows * _lda, 0, rng);
        _b = new GemmOperand(bRows * _ldb, 0, rng);
        _c = new GemmOperand(_s.M * _s.N, 0, null);

        global::MathNet.Numerics.Control.UseManaged();
        global::MathNet.Numerics.Control.MaxDegreeOfParallelism = 1;
        _ma = Matrix<float>.Build.Random(aRows, _lda, 1);
        _mb = Matrix<float>.Build.Random(bRows, _ldb, 2);
        _mc = Matrix<float>.Build.Dense(_s.M, _s.N);
        _savedDegree = Gemm.MaxDegreeOfParallelism;
        Gemm.MaxDegreeOfParallelism = ThreadCount;
        if (OpenBlasNative.IsAvailable)
        {
            OpenBlasNative.SetThreads(ThreadCount);
        }
    }

    /// <summary>Restores the library's thread setting and frees the operands.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        Gemm.MaxDegreeOfParallelism = _savedDegree;
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
    }

    /// <summary>This library.</summary>
    [Benchmark(Baseline = true)]
    public void GanCore() => Gemm.Compute(_s.TransposeA, _s.TransposeB, _s.M, _s.N, _s.K, _a.Span, _lda, _b.Span, _ldb, _c.Span, _s.N);

    /// <summary>OpenBLAS cblas_sgemm, row-major.</summary>
    [Benchmark]
    public void OpenBlas()
    {
        OpenBlasNative.Sgemm(_s.TransposeA, _s.TransposeB, _s.M, _s.N, _s.K, _a.First, _lda, _b.First, _ldb, _c.First, _s.N);
    }

    /// <summary>MathNet.Numerics, managed provider, one thread.</summary>
    [Benchmark]
    public void MathNet()
    {
        if (_s.TransposeA)
        {
            _ma.TransposeThisAndMultiply(_mb, _mc);
        }
        else if (_s.TransposeB)
        {
            _ma.TransposeAndMultiply(_mb, _mc);
        }
        else
        {
            _ma.Multiply(_mb, _mc);
        }
    }

    /// <summary>The naive triple loop.</summary>
    [Benchmark]
    public void Naive() => NaiveGemm.Compute(_s.TransposeA, _s.TransposeB, _s.M, _s.N, _s.K, _a.Span, _lda, _b.Span, _ldb, _c.Span, _s.N);
}

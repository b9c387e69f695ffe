using BenchmarkDotNet.Attributes;
using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>GEMM at the seed GAN's layer shapes.</summary>
[MemoryDiagnoser]
public class GemmSmallBenchmarks
{
    private Matrix _a = null!;
    private Matrix _b = null!;
    private Matrix _c = null!;

    /// <summary>M, K, N.</summary>
    [Params("64x5x128", "64x128x15", "64x15x128", "64x128x1")]
    public string Shape { get; set; } = "64x5x128";

    /// <summary>Allocates the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[] d = Shape.Split('x').Select(int.Parse).ToArray();
        _a = new Matrix(d[0], d[1]);
        _b = new Matrix(d[1], d[2]);
        _c = new Matrix(d[0], d[2]);
        _a.Fill(0.5f);
        _b.Fill(0.25f);
    }

    /// <summary>C = A·B.</summary>
    [Benchmark]
    public void Multiply() => Gemm.Multiply(_a, _b, _c);
}

using BenchmarkDotNet.Attributes;
using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>Dense forward and backward at batch 64, at the seed GAN's layer shapes.</summary>
[MemoryDiagnoser]
public class LayerBenchmarks
{
    private Dense _dense = null!;
    private Matrix _input = null!;
    private Matrix _gradient = null!;

    /// <summary>Input width → output width.</summary>
    [Params("5x128", "128x15", "15x128", "128x1")]
    public string Shape { get; set; } = "5x128";

    /// <summary>Builds the layer and its operands, and runs one forward pass so Backward has something to work on.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[] d = Shape.Split('x').Select(int.Parse).ToArray();
        var random = new RandomSource(1);
        _dense = new Dense(d[0], d[1], random);
        _input = new Matrix(64, d[0]);
        _gradient = new Matrix(64, d[1]);
        random.FillGaussian(_input.Span);
        random.FillGaussian(_gradient.Span);
        _dense.Forward(_input);
    }

    /// <summary>Y = X·W + b (copies X, which Backward needs).</summary>
    [Benchmark]
    public Matrix DenseForward() => _dense.Forward(_input);

    /// <summary>dW += Xᵀ·dY, db += Σ dY, dX = dY·Wᵀ.</summary>
    [Benchmark]
    public Matrix DenseBackward() => _dense.Backward(_gradient);
}

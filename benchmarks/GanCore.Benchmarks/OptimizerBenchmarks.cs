using BenchmarkDotNet.Attributes;
using GanCore.Layers;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Benchmarks;

/// <summary>One optimizer step over 2,177 parameters (a 15→128 weight matrix, its bias, a 128→1 layer: the seed's discriminator).</summary>
[MemoryDiagnoser]
public class OptimizerBenchmarks
{
    private Optimizer _adam = null!;
    private Optimizer _adamW = null!;
    private Optimizer _sgd = null!;
    private Optimizer _adamMeasured = null!;
    private Optimizer _rmsProp = null!;
    private Optimizer _rmsPropFull = null!;

    /// <summary>Creates the parameters with random gradients and the optimizers over them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(2);
        var layers = new[] { new Dense(15, 128, random), new Dense(128, 1, random) };
        Parameter[] parameters = layers.SelectMany(l => l.Parameters).ToArray();
        foreach (Parameter p in parameters)
        {
            random.FillGaussian(p.Gradient.Span, 0f, 0.01f);
        }

        _adam = new Adam(parameters, 1e-4f);
        _adamW = new Adam(parameters, 1e-4f, weightDecay: 0.01f, decoupledWeightDecay: true);
        _sgd = new Sgd(parameters, 1e-4f, momentum: 0.9f, nesterov: true);
        _rmsProp = new RmsProp(parameters, 5e-5f);
        _rmsPropFull = new RmsProp(parameters, 5e-5f, momentum: 0.9f, centered: true);

        // A limit far above the gradients' norm (≈ 0.01·√2,177 ≈ 0.47): the norm is measured every step, nothing is
        // scaled, so the gradients stay as they are from one iteration to the next. A step that clips adds one more
        // pass of the same length (the scaling).
        _adamMeasured = new Adam(parameters, 1e-4f) { GradientClipNorm = 1e6f };
    }

    /// <summary>Adam with bias correction.</summary>
    [Benchmark(Baseline = true)]
    public void AdamStep() => _adam.Step();

    /// <summary>AdamW (decoupled weight decay).</summary>
    [Benchmark]
    public void AdamWStep() => _adamW.Step();

    /// <summary>SGD with Nesterov momentum.</summary>
    [Benchmark]
    public void SgdNesterovStep() => _sgd.Step();

    /// <summary>Adam with <see cref="Optimizer.GradientClipNorm"/> set: the global gradient norm is measured first.</summary>
    [Benchmark]
    public void AdamWithClipNormStep() => _adamMeasured.Step();

    /// <summary>RMSprop, plain: one state block (v).</summary>
    [Benchmark]
    public void RmsPropStep() => _rmsProp.Step();

    /// <summary>RMSprop centered with momentum: three state blocks (v, ḡ, b) on one stream.</summary>
    [Benchmark]
    public void RmsPropCenteredMomentumStep() => _rmsPropFull.Step();
}

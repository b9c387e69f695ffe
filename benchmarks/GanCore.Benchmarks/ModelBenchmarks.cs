using BenchmarkDotNet.Attributes;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>A full training step of the seed's discriminator shape: 15 → 128 (ReLU) → 1 logit, batch 64, BCE from logits, Adam.</summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private Sequential _model = null!;
    private Adam _adam = null!;
    private Matrix _input = null!;
    private Matrix _targets = null!;
    private Matrix _lossGradient = null!;
    private readonly BinaryCrossEntropyWithLogits _loss = new();

    /// <summary>Builds the model, a batch and its labels.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(3);
        _model = new Sequential(new Dense(15, 128, random), new ReLU(), new Dense(128, 1, random));
        _adam = new Adam(_model.Parameters, 1e-4f);
        _input = new Matrix(64, 15);
        random.FillGaussian(_input.Span);
        _targets = new Matrix(64, 1);
        for (int i = 0; i < 64; i++)
        {
            _targets[i, 0] = i % 2;
        }

        _lossGradient = new Matrix(64, 1);
    }

    /// <summary>Forward only (fused Dense+ReLU, then Dense).</summary>
    [Benchmark]
    public Matrix Forward() => _model.Forward(_input);

    /// <summary>Zero gradients, forward, loss, backward (parameters only), Adam step.</summary>
    [Benchmark]
    public float TrainingStep()
    {
        _model.ZeroGradients();
        float loss = _loss.Compute(_model.Forward(_input), _targets, _lossGradient);
        _model.BackwardParameters(_lossGradient);
        _adam.Step();
        return loss;
    }
}

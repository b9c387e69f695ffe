using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Layers;

namespace GanCore.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch's form):
/// g ← g + λ·θ; b ← μ·b + g; d = Nesterov ? g + μ·b : b (or d = g without momentum); θ ← θ − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _velocity;

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size lr (&gt; 0). Default 0.01.</param>
    /// <param name="momentum">μ in [0, 1). Default 0.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, added to the gradient as λ·θ. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range or not finite.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum, or a null or repeated parameter.</exception>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        CheckUnitInterval(momentum, nameof(momentum));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 (momentum is {momentum}).", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _velocity = Parameters.Select(p => new float[momentum == 0f ? 0 : p.Count]).ToArray();
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    public override string Name => $"Sgd(lr={LearningRate}, momentum={Momentum}{(Nesterov ? ", nesterov" : string.Empty)}, weightDecay={WeightDecay})";

    internal override IReadOnlyList<float[]> StateBuffers => _velocity;

    internal override OptimizerKind Kind => OptimizerKind.Sgd;

    [MethodImpl(KernelCompilation.Hot)]
    private protected override bool Update(int index, Parameter parameter) =>
        OptimizerKernels.Sgd(parameter.Value.Span, parameter.Gradient.Span, _velocity[index], StepLearningRate, Momentum, Nesterov, WeightDecay);
}

using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Layers;

namespace GanCore.Optimizers;

/// <summary>
/// RMSprop (Tieleman and Hinton, lecture 6e of "Neural Networks for Machine Learning", 2012) in PyTorch's form, with
/// optional L2 weight decay, momentum and centering (Graves 2013):
/// <code>
/// g ← g + λ·θ
/// v ← α·v + (1 − α)·g²             running mean of the squared gradient
/// ḡ ← α·ḡ + (1 − α)·g              (centered only) running mean of the gradient
/// s = centered ? v − ḡ² : v        (a negative rounding result counts as 0)
/// d = g / (√s + ε)
/// b ← μ·b + d,  d = b              (momentum μ &gt; 0 only)
/// θ ← θ − lr·d
/// </code>
/// Without momentum or centering each parameter's step is its gradient divided by a running root mean square of
/// that gradient, so it is about lr in size wherever the gradient's scale is steady; momentum μ makes a steady step
/// about lr/(1 − μ). Centering divides by the gradient's variance instead, which a steady gradient drives towards 0:
/// the step then grows (as α^(−t/2)), up to g/ε where rounding leaves v − ḡ² at or below 0 (PyTorch would take the
/// root of a negative number there and write NaN). There is no bias correction: v starts at 0, so the first steps
/// are larger, about lr/√(1 − α) = 10·lr at the default α. The WGAN paper (Arjovsky et al. 2017) trained its critic
/// and generator with RMSprop at lr 5e-5, as momentum-based optimizers made its weight-clipped critic unstable.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly float[][] _state;
    private readonly RmsPropSettings _settings;

    /// <summary>Creates an RMSprop optimizer. The defaults are PyTorch's: lr 0.01, α 0.99, ε 1e−8, no momentum, not centered.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="alpha">α in [0, 1): the decay of the squared-gradient average (Keras calls it ρ, default 0.9 there).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, added to the gradient as λ·θ.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="centered">Divide by the gradient's running variance (v − ḡ²) instead of its mean square v.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range or not finite.</exception>
    /// <exception cref="ArgumentException">A null or repeated parameter.</exception>
    /// <exception cref="OverflowException">A parameter with more elements than one array can hold for its state
    /// blocks (over ~715 million with centering and momentum).</exception>
    public RmsProp(IEnumerable<Parameter> parameters, float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(parameters, learningRate)
    {
        CheckUnitInterval(alpha, nameof(alpha));
        CheckPositive(epsilon, nameof(epsilon));

        CheckNonNegative(weightDecay, nameof(weightDecay));
        CheckUnitInterval(momentum, nameof(momentum));
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _settings = new RmsPropSettings(learningRate, alpha, epsilon, weightDecay, momentum, centered);

        // One buffer a parameter: v, then ḡ (centered), then b (momentum), each as long as the parameter.
        _state = Parameters.Select(p => new float[checked(p.Count * _settings.StateBlocks)]).ToArray();
    }

    /// <summary>α.</summary>
    public float Alpha { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update divides by the gradient's running variance rather than its mean square.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override string Name => $"RmsProp(lr={LearningRate}, α={Alpha}, ε={Epsilon}, weightDecay={WeightDecay}, momentum={Momentum}{(Centered ? ", centered" : string.Empty)})";

    internal override IReadOnlyList<float[]> StateBuffers => _state;

    internal override OptimizerKind Kind => OptimizerKind.RmsProp;

    [MethodImpl(KernelCompilation.Hot)]
    private protected override bool Update(int index, Parameter parameter) =>
        OptimizerKernels.RmsProp(parameter.Value.Span, parameter.Gradient.Span, _state[index], _settings with { LearningRate = StepLearningRate });
}

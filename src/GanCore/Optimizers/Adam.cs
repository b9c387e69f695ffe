using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Layers;

namespace GanCore.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, in PyTorch's form, and optional weight decay — coupled L2
/// (added to the gradient) or decoupled (AdamW, Loshchilov and Hutter):
/// <code>
/// g ← g + λ·θ                      (L2 only)
/// m ← β1·m + (1 − β1)·g            first moment
/// v ← β2·v + (1 − β2)·g²           second moment
/// m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)   bias correction, t = step number
/// θ ← θ·(1 − lr·λ)                  (AdamW only)
/// θ ← θ − lr·m̂/(√v̂ + ε)
/// </code>
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;
    private readonly float[][] _state;
    private AdamCoefficients _coefficients;
    private long _coefficientsStep = -1;

    /// <summary>Creates an Adam optimizer. The defaults are the usual ones: lr 1e−3, β1 0.9, β2 0.999, ε 1e−8.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="beta1">β1 in [0, 1).</param>
    /// <param name="beta2">β2 in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <param name="decoupledWeightDecay">True for AdamW (decay the weights directly); false to add λ·θ to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range or not finite.</exception>
    /// <exception cref="ArgumentException">A null or repeated parameter.</exception>
    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f, bool decoupledWeightDecay = false)
        : base(parameters, learningRate)
    {
        CheckUnitInterval(beta1, nameof(beta1));
        CheckUnitInterval(beta2, nameof(beta2));
        CheckPositive(epsilon, nameof(epsilon));

        CheckNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
        _m = Parameters.Select(p => new float[p.Count]).ToArray();
        _v = Parameters.Select(p => new float[p.Count]).ToArray();
        _state = [.. _m, .. _v];
    }

    /// <summary>β1.</summary>
    public float Beta1 { get; }

    /// <summary>β2.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>True for AdamW-style decoupled decay.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    public override string Name => $"{(DecoupledWeightDecay ? "AdamW" : "Adam")}(lr={LearningRate}, β1={Beta1}, β2={Beta2}, ε={Epsilon}, weightDecay={WeightDecay})";

    internal override IReadOnlyList<float[]> StateBuffers => _state;

    internal override OptimizerKind Kind => OptimizerKind.Adam;

    [MethodImpl(KernelCompilation.Hot)]
    private protected override bool Update(int index, Parameter parameter)
    {
        // The bias corrections need two powers; compute them once per step, not once per parameter.
        if (_coefficientsStep != StepCount)
        {
            _coefficients = new AdamCoefficients(StepLearningRate, Beta1, Beta2, Epsilon, WeightDecay, DecoupledWeightDecay, StepCount);
            _coefficientsStep = StepCount;
        }

        return OptimizerKernels.Adam(parameter.Value.Span, parameter.Gradient.Span, _m[index], _v[index], _coefficients);
    }
}

using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Layers;

namespace GanCore.Optimizers;

/// <summary>
/// Updates a fixed list of parameters from their accumulated gradients. <see cref="Step"/> reads the gradients
/// but does not clear them; zero them before the next backward pass.
/// </summary>
/// <remarks>Not thread-safe. The state (moments, step count) can be saved with a checkpoint.</remarks>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private float _learningRate;
    private LearningRateSchedule _schedule = LearningRateSchedule.Constant;
    private float? _weightClip;
    private float? _gradientClipNorm;

    private protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} in the list is null.", nameof(parameters));
            }
        }

        if (_parameters.Distinct().Count() != _parameters.Length)
        {
            throw new ArgumentException("The same parameter appears twice; it would be updated twice per step.", nameof(parameters));
        }

        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
        {
            // Checked here, not only in the setter, so the exception names the constructor's parameter.
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number > 0.");
        }

        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates, in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The step size. May be changed between steps (for a schedule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is ≤ 0, NaN or infinite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0f) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number > 0.");
            }

            _learningRate = value;
        }
    }

    /// <summary>
    /// The schedule applied to <see cref="LearningRate"/>: step t (0-based) uses
    /// <c>LearningRate · Schedule.Factor(t)</c>. <see cref="LearningRate"/> itself stays the base rate, so a checkpoint
    /// saves the base rate and a resumed run continues the schedule from the saved step count.
    /// Default <see cref="LearningRateSchedule.Constant"/>. Not saved in checkpoints: set it again after loading.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public LearningRateSchedule Schedule
    {
        get => _schedule;
        set
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Schedule));
            _schedule = value;
        }
    }

    /// <summary>
    /// Weight clipping (Arjovsky et al. 2017): when set to c, <see cref="Step"/> clamps every parameter to [−c, c]
    /// after its update, which keeps a Wasserstein critic's Lipschitz constant bounded (the WGAN paper uses
    /// c = 0.01). Null (the default) leaves the parameters alone. Every parameter is clipped, biases included; build
    /// a separate optimizer for the parameters you want unclipped. A NaN parameter stays NaN (so divergence is
    /// still detected). Not saved in checkpoints, like <see cref="Schedule"/>: set it again after loading.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not null and not a finite number &gt; 0.</exception>
    public float? WeightClip
    {
        get => _weightClip;
        set => _weightClip = OffOrPositive(value, nameof(WeightClip));
    }

    /// <summary>
    /// Gradient clipping by global norm (Pascanu, Mikolov and Bengio 2013; PyTorch's <c>clip_grad_norm_</c>, Keras's
    /// <c>global_clipnorm</c>): when set to c, <see cref="Step"/> first measures the length of all the gradients it
    /// holds taken together, ‖g‖ = √(Σ over every parameter of Σ g²), and when ‖g‖ &gt; c multiplies every gradient
    /// by c/‖g‖ in place before the update. The direction is kept and the length becomes c (to float rounding), so one
    /// exploding batch cannot throw the weights far. Null (the default) leaves the gradients alone. The gradient
    /// buffers hold the clipped values after the step. Weight decay is added after clipping (inside the update), as in
    /// PyTorch; gradients added before the step (an R1 penalty's, for one) are clipped with the rest. A NaN or
    /// infinite gradient is not clipped (‖g‖ is then not finite): the update carries it into the weights, where a
    /// divergence check reports it. A <see cref="Adversarial.Gan"/> whose G and D share parameters rejects clipping
    /// under the simultaneous schedule (both optimizers would scale the shared gradients). Not saved in checkpoints,
    /// like <see cref="WeightClip"/>: set it again after loading.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not null and not a finite number &gt; 0.</exception>
    public float? GradientClipNorm
    {
        get => _gradientClipNorm;
        set => _gradientClipNorm = OffOrPositive(value, nameof(GradientClipNorm));
    }

    /// <summary>
    /// The global gradient norm ‖g‖ the last <see cref="Step"/> measured, before clipping; NaN when that step did not
    /// measure it (<see cref="GradientClipNorm"/> null) and before the first step. Infinite or NaN when a gradient was;
    /// infinite also when the norm of finite gradients passes float's largest value (they are still clipped). Below
    /// ~1e-15 it is approximate (the squares lose digits to subnormals) unless the limit is that small too.
    /// </summary>
    public float LastGradientNorm { get; private set; } = float.NaN;

    /// <summary>The rate the next <see cref="Step"/> uses: <c>LearningRate · Schedule.Factor(StepCount)</c>.</summary>
    public float CurrentLearningRate => _schedule == LearningRateSchedule.Constant ? _learningRate : _learningRate * _schedule.Factor(StepCount);

    /// <summary>The number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>The rate of the step being taken, fixed by <see cref="Step"/> before it calls <see cref="Update"/>.</summary>
    private protected float StepLearningRate { get; private set; }

    /// <summary>A short description with the settings, e.g. "Adam(lr=0.0001, β1=0.9, β2=0.999)".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Applies one update to every parameter from its current gradient (scaled first by <see cref="GradientClipNorm"/>
    /// if set), then <see cref="WeightClip"/> if set.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public void Step()
    {
        if (_gradientClipNorm is { } maxNorm)
        {
            ClipGradients(maxNorm);
        }
        else
        {
            LastGradientNorm = float.NaN;
        }

        StepLearningRate = CurrentLearningRate;
        StepCount++;
        bool finite = true;
        for (int i = 0; i < _parameters.Length; i++)
        {
            finite &= Update(i, _parameters[i]);
        }

        if (_weightClip is { } c)
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                Elementwise.Clamp(_parameters[i].Value.Span, -c, c);
            }

            // Clamping turns ±∞ into ±c: what the update kernels saw is no longer what the parameters hold.
            finite = false;
        }

        ValuesVerifiedFinite = finite;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Measures ‖g‖ over every gradient into <see cref="LastGradientNorm"/> and scales the gradients by c/‖g‖ when ‖g‖ &gt; c.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private void ClipGradients(float maxNorm)
    {
        double squares = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            squares += Elementwise.SumOfSquares(_parameters[i].Gradient.Span);
        }

        // One parameter's Σ g² in float overflows once its norm passes ~1.8e19 (and is NaN for a NaN gradient): the
        // sum is then taken again in double, where it cannot. Below ~1e-15 the squares lose digits to subnormals; the
        // norm is summed again only when the limit itself is that small (an all-zero gradient, as a hinge D's with
        // every logit past the margin, is common and would take the slow loop every step).
        double norm = double.IsFinite(squares) && (squares >= 1e-30 || maxNorm >= 1e-15f) ? Math.Sqrt(squares) : NormInDouble();
        LastGradientNorm = (float)norm;
        if (norm > maxNorm && double.IsFinite(norm))
        {
            ScaleGradients(maxNorm / norm);
        }
    }

    /// <summary>
    /// Multiplies every gradient by <paramref name="factor"/> (in (0, 1)). A factor below float's smallest normal number
    /// (‖g‖ more than 2¹²⁶ times the limit) is applied in two steps, so that it keeps its digits and does not round to 0.
    /// </summary>
    private void ScaleGradients(double factor)
    {
        const double Split = 1.8446744073709552e19; // 2⁶⁴
        const double SmallestNormal = 1.1754943508222875e-38; // 2⁻¹²⁶
        bool tiny = factor < SmallestNormal;
        float first = (float)(tiny ? factor * Split : factor);
        for (int i = 0; i < _parameters.Length; i++)
        {
            Elementwise.Scale(first, _parameters[i].Gradient.Span);
            if (tiny)
            {
                Elementwise.Scale((float)(1 / Split), _parameters[i].Gradient.Span);
            }
        }
    }

    /// <summary>‖g‖ over every gradient with the squares summed in double (the rare path of <see cref="ClipGradients"/>).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private double NormInDouble()
    {
        double sum = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (float v in _parameters[i].Gradient.Span)
            {
                sum += (double)v * v;
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// True when the last <see cref="Step"/> checked, as it wrote them, that every parameter value is finite, so a
    /// caller (the GAN's divergence check) need not read them again; false when it did not check (weight clipping on,
    /// or no step yet) or a value may not be finite: the caller then scans the values itself. It says nothing about
    /// writes after the step (another optimizer updating a shared parameter, for one).
    /// </summary>
    internal bool ValuesVerifiedFinite { get; private set; }

    /// <summary>The per-parameter state buffers, in a fixed order, for checkpoints (e.g. Adam's m then v of each parameter).</summary>
    internal abstract IReadOnlyList<float[]> StateBuffers { get; }

    /// <summary>The kind written into checkpoints.</summary>
    internal abstract OptimizerKind Kind { get; }

    /// <summary>Restores the step count (checkpoint loading).</summary>
    internal void RestoreStepCount(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        StepCount = steps;
    }

    /// <summary>Updates parameter <paramref name="index"/>; <see cref="StepCount"/> is already the new step's number (1-based).
    /// Returns true when every new value was checked finite as it was written, false when not verified.</summary>
    private protected abstract bool Update(int index, Parameter parameter);

    /// <summary>An optional limit as a setter takes it: null (off) or a finite number &gt; 0; anything else is rejected naming <paramref name="name"/>.</summary>
    private static float? OffOrPositive(float? value, string name) =>
        value is { } c && !(c > 0f && float.IsFinite(c))
            ? throw new ArgumentOutOfRangeException(name, c, $"{name} must be null (off) or a finite number > 0.")
            : value;

    private protected static void CheckUnitInterval(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }
    }

    private protected static void CheckPositive(float value, string name)
    {
        if (!(value > 0f) || !float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
        }
    }

    private protected static void CheckNonNegative(float value, string name)
    {
        if (!(value >= 0f) || !float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
        }
    }
}

/// <summary>The optimizer kinds a checkpoint can hold.</summary>
internal enum OptimizerKind : byte
{
    Sgd = 1,
    Adam = 2,
    RmsProp = 3,
}

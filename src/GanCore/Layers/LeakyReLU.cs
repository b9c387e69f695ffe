using GanCore.Kernels;

namespace GanCore.Layers;

/// <summary>f(x) = x for x &gt; 0, slope·x otherwise.</summary>
public sealed class LeakyReLU : ActivationLayer
{
    /// <summary>Creates a leaky ReLU layer.</summary>
    /// <param name="slope">The negative-side slope, finite and in [0, 1). Defaults to 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">The slope is negative, ≥ 1 or not finite.</exception>
    public LeakyReLU(float slope = 0.01f)
        : base(Activation.LeakyReLU, CheckSlope(slope))
    {
    }

    /// <inheritdoc/>
    public override string Name => $"LeakyReLU({Slope})";

    private static float CheckSlope(float slope)
    {
        if (!(slope >= 0f && slope < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "The LeakyReLU slope must be in [0, 1); its derivative is recovered from the output sign.");
        }

        return slope;
    }
}

using GanCore.Kernels;

namespace GanCore.Layers;

/// <summary>f(x) = max(0, x).</summary>
public sealed class ReLU : ActivationLayer
{
    /// <summary>Creates a ReLU layer.</summary>
    public ReLU()
        : base(Activation.ReLU, 0f)
    {
    }

    /// <inheritdoc/>
    public override string Name => "ReLU";
}

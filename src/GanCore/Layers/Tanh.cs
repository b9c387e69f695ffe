using GanCore.Kernels;

namespace GanCore.Layers;

/// <summary>f(x) = tanh(x).</summary>
public sealed class Tanh : ActivationLayer
{
    /// <summary>Creates a tanh layer.</summary>
    public Tanh()
        : base(Activation.Tanh, 0f)
    {
    }

    /// <inheritdoc/>
    public override string Name => "Tanh";
}

using GanCore.Kernels;

namespace GanCore.Layers;

/// <summary>f(x) = 1 / (1 + e^(−x)).</summary>
public sealed class Sigmoid : ActivationLayer
{
    /// <summary>Creates a sigmoid layer.</summary>
    public Sigmoid()
        : base(Activation.Sigmoid, 0f)
    {
    }

    /// <inheritdoc/>
    public override string Name => "Sigmoid";
}

using GanCore.Kernels;

namespace GanCore.Layers;

/// <summary>f(x) = x. Useful as an explicit "no activation" marker.</summary>
public sealed class Identity : ActivationLayer
{
    /// <summary>Creates an identity layer.</summary>
    public Identity()
        : base(Activation.Identity, 0f)
    {
    }

    /// <inheritdoc/>
    public override string Name => "Identity";
}

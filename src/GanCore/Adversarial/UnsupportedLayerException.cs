namespace GanCore.Adversarial;

/// <summary>
/// A GAN feature was asked of a network holding a layer the feature's hand-derived gradients do not cover: the R1
/// penalty (<see cref="GanOptions.R1Gamma"/> &gt; 0) accepts a discriminator of Dense layers (plain or spectrally
/// normalized) and piecewise-linear activations (ReLU, LeakyReLU, Identity) only. The message and
/// <see cref="LayerIndex"/> / <see cref="LayerName"/> name the first such layer. It is an
/// <see cref="ArgumentException"/> on the discriminator argument.
/// </summary>
public sealed class UnsupportedLayerException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedLayerException()
        : this("The network holds a layer this feature does not support.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which layer, and why.</param>
    public UnsupportedLayerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which layer, and why.</param>
    /// <param name="innerException">The cause.</param>
    public UnsupportedLayerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal UnsupportedLayerException(string feature, string network, int layerIndex, string layerName, string supported, string parameterName)
        : base($"{feature} does not support layer {layerIndex} ({layerName}) of the {network}: it supports {supported} only.", parameterName)
    {
        LayerIndex = layerIndex;
        LayerName = layerName;
    }

    /// <summary>The 0-based index of the first unsupported layer in its network, or -1 when not known.</summary>
    public int LayerIndex { get; } = -1;

    /// <summary>The unsupported layer's <see cref="Layers.Layer.Name"/>, e.g. "Sigmoid" or "BatchNorm(128)".</summary>
    public string LayerName { get; } = string.Empty;
}

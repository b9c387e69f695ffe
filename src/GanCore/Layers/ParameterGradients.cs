namespace GanCore.Layers;

/// <summary>What a backward pass does with the parameter gradients.</summary>
public enum ParameterGradients
{
    /// <summary>Add dL/dθ into every parameter's <see cref="Parameter.Gradient"/> (the default).</summary>
    Accumulate = 0,

    /// <summary>
    /// Leave every parameter gradient untouched and only compute dL/d(input). A GAN's generator step sends its
    /// loss back through the discriminator this way, so D's gradient buffers are never changed.
    /// </summary>
    Skip = 1,
}

using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// A weight layer Y = X·M + b (<see cref="Dense"/>, where M is W; <see cref="SpectralNormDense"/>, where M is W̄ = W/σ)
/// that <see cref="Models.Sequential"/> fuses with the activations around it: the activation after it into the forward
/// product's epilogue, the activation before it into the backward input-gradient product.
/// </summary>
internal interface IAffineLayer
{
    /// <summary>The fused forward pass: writes act(X·M + b) into <paramref name="output"/> (the activation layer's buffer).</summary>
    void ForwardFused(Matrix input, bool inputIsStable, Matrix output, Activation activation, float slope);

    /// <summary>
    /// The backward pass through this layer and the activation before it, fused: the parameter gradients as the layer's
    /// own backward pass adds them, then dL/d(activation input) = f'(Y) ⊙ (dY·Mᵀ) in one GEMM, where Y, the activation's
    /// output, is this layer's kept input. Bitwise the same as this layer's backward pass followed by the activation's.
    /// Returns null, and skips dY·Mᵀ, when the activation's input gradient is not needed; falls back to the unfused pair
    /// when this layer's kept input is not the activation's output (the layers were also run elsewhere).
    /// </summary>
    /// <param name="gradientOutput">dY.</param>
    /// <param name="parameterGradients">Whether this layer's parameter gradients are accumulated.</param>
    /// <param name="activation">The activation before this layer.</param>
    /// <param name="needInputGradient">Whether the activation's input gradient is wanted.</param>
    /// <param name="overwriteActivationOutput">The caller runs no other backward pass on this forward pass: the
    /// activation's input gradient may then be written over the activation's kept output Y (each element of Y is read
    /// just before its gradient is written there), when dY has at most <see cref="GemmStream.MaxRows"/> columns, so that
    /// no route of the product splits its K and stores partial sums over Y first.</param>
    Matrix? BackwardThroughActivation(Matrix gradientOutput, ParameterGradients parameterGradients, ActivationLayer activation, bool needInputGradient, bool overwriteActivationOutput);
}

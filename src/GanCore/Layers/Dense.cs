using System.Runtime.CompilerServices;
using GanCore.Initialization;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// A fully connected layer: Y = X·W + b.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> X is (batch, in); W is stored <b>in×out, row-major</b> (row i holds the weights leaving
/// input i), so the forward pass is a plain X·W; b is 1×out. Checkpoints and the ONNX export depend on this layout.</para>
/// <para><b>Backward.</b> dW += Xᵀ·dY; db += Σ_rows dY; dX = dY·Wᵀ.</para>
/// <para>When a <see cref="Models.Sequential"/> model puts an activation right after this layer, it fuses the
/// two: one GEMM writes act(X·W + b) directly into the activation's output.</para>
/// </remarks>
public sealed class Dense : Layer, IAffineLayer
{
    private readonly Parameter _weights;
    private readonly Parameter _bias;
    private readonly Parameter[] _parameters;
    private Matrix? _inputCopy;
    private Matrix? _input;
    private Matrix? _output;
    private Matrix? _gradientInput;

    /// <summary>Creates a dense layer with Glorot-uniform weights and zero biases (TensorFlow's default).</summary>
    /// <param name="inputs">The input width (≥ 1).</param>
    /// <param name="outputs">The output width (≥ 1).</param>
    /// <param name="random">The generator that draws the initial weights.</param>
    /// <param name="weightInitializer">How to draw W; <see cref="Initializer.GlorotUniform"/> when null.</param>
    /// <param name="biasInitializer">How to set b; <see cref="Initializer.Zeros"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Dense(int inputs, int outputs, RandomSource random, Initializer? weightInitializer = null, Initializer? biasInitializer = null)
        : this(inputs, outputs)
    {
        ArgumentNullException.ThrowIfNull(random);
        (weightInitializer ?? Initializer.GlorotUniform).Fill(_weights.Value.Span, inputs, outputs, random);
        (biasInitializer ?? Initializer.Zeros).Fill(_bias.Value.Span, inputs, outputs, random);
    }

    /// <summary>Creates a layer with all-zero weights (used by the checkpoint loader before it fills them).</summary>
    internal Dense(int inputs, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        InputSize = inputs;
        OutputSize = outputs;
        _weights = new Parameter("weights", inputs, outputs);
        _bias = new Parameter("bias", 1, outputs);
        _parameters = [_weights, _bias];
    }

    /// <summary>The input width.</summary>
    public int InputSize { get; }

    /// <summary>The output width.</summary>
    public int OutputSize { get; }

    /// <summary>W, stored in×out.</summary>
    public Parameter Weights => _weights;

    /// <summary>b, stored 1×out.</summary>
    public Parameter Bias => _bias;

    /// <inheritdoc/>
    public override string Name => $"Dense({InputSize}→{OutputSize})";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override int? RequiredInputWidth => InputSize;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, OutputSize);

    internal override int OutputWidth(int inputWidth) => OutputSize;

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        Matrix x = Keep(input, inputIsStable);
        Matrix y = Matrix.Ensure(ref _output, x.Rows, OutputSize);
        Gemm.MultiplyBiasActivation(x, _weights.Value, _bias.Value.Span, y, Activation.Identity);
        return y;
    }

    /// <inheritdoc cref="IAffineLayer.ForwardFused"/>
    [MethodImpl(KernelCompilation.Hot)]
    void IAffineLayer.ForwardFused(Matrix input, bool inputIsStable, Matrix output, Activation activation, float slope)
    {
        Matrix x = Keep(input, inputIsStable);
        Gemm.MultiplyBiasActivation(x, _weights.Value, _bias.Value.Span, output, activation, slope);
    }

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        Matrix x = _input!;
        if (parameterGradients == ParameterGradients.Accumulate)
        {
            Gemm.WeightAndBiasGradients(x, gradientOutput, _weights.Gradient, _bias.Gradient.Span);    // dW += Xᵀ·dY; db += Σ dY
        }

        // The bias gradient is done above (Skip only gates it there); dX = dY·Wᵀ.
        return BiasAndInputGradient(gradientOutput, _weights.Value, _bias.Gradient.Span, ParameterGradients.Skip, needInputGradient, ref _gradientInput);
    }

    /// <inheritdoc cref="IAffineLayer.BackwardThroughActivation"/>
    [MethodImpl(KernelCompilation.Hot)]
    Matrix? IAffineLayer.BackwardThroughActivation(Matrix gradientOutput, ParameterGradients parameterGradients, ActivationLayer activation, bool needInputGradient, bool overwriteActivationOutput) =>
        BackwardThroughActivation(_input, _weights.Value, ref _gradientInput, gradientOutput, parameterGradients, activation, needInputGradient, overwriteActivationOutput);

    /// <summary>
    /// The parameter gradients of this layer and of <paramref name="first"/>, the dense layer before
    /// <paramref name="activation"/> (first → activation → this), when no input gradient is wanted: this layer's
    /// dW2 and db2, then the first layer's dW1 and db1 with the gradient at the activation's input made a few rows at a
    /// time and never stored (<c>Gemm.TryHiddenLayerGradients</c>, this layer's dW2 in the same pass over H when dY is
    /// narrow). Bitwise the same as the layer-by-layer pass.
    /// </summary>
    /// <returns>False, with nothing accumulated, when the layers' cached batches do not line up or the shapes call for
    /// the layer-by-layer pass.</returns>
    internal bool TryBackwardParametersThroughHiddenLayer(Matrix gradientOutput, ActivationLayer activation, Dense first)
    {
        Matrix? y = activation.Output;
        Matrix? x = first._input;
        if (y is null || x is null || !ReferenceEquals(_input, y) || y.Stride != y.Columns || x.Rows != y.Rows
            || gradientOutput.Rows != y.Rows || first.OutputSize != InputSize || !GemmEngine.HiddenChunkingWanted(y.Rows, y.Columns))
        {
            return false;
        }

        // The first layer's gradients first: if the shapes send them back to the layer-by-layer pass, nothing is written yet.
        if (!Gemm.TryHiddenLayerGradients(x, gradientOutput, _weights.Value, y, activation.Activation, activation.Slope, first._weights.Gradient, first._bias.Gradient.Span, _weights.Gradient))
        {
            return false;
        }

        // dW2 += Hᵀ·dY rode along the pass over H; db2 += Σ dY is what WeightAndBiasGradients adds apart whenever H has
        // more rows than its streaming path takes, as it always has when the hidden gradient spills out of L2.
        Elementwise.ColumnSums(gradientOutput.Span, gradientOutput.Rows, gradientOutput.Columns, gradientOutput.Stride, _bias.Gradient.Span, accumulate: true);
        return true;
    }

    /// <summary>
    /// The input gradient of <paramref name="first"/> → <paramref name="activation"/> → this layer when no parameter
    /// gradient is wanted (G's gradient through D): dX = (f'(H) ⊙ (dY·W2ᵀ))·W1ᵀ with the middle gradient made a few
    /// rows at a time and never stored (<see cref="Gemm.TryHiddenLayerInputGradient"/>). Bitwise the same as the
    /// layer-by-layer pass, and written to the buffer the first layer's own pass would use.
    /// </summary>
    /// <returns>dX, or null, with nothing written, when the cached batches do not line up or the shapes call for the
    /// layer-by-layer pass.</returns>
    internal Matrix? TryInputGradientThroughHiddenLayer(Matrix gradientOutput, ActivationLayer activation, Dense first)
    {
        Matrix? y = activation.Output;
        if (y is null || !ReferenceEquals(_input, y) || y.Stride != y.Columns || gradientOutput.Rows != y.Rows || first.OutputSize != InputSize
            || !GemmEngine.HiddenChunkingWanted(y.Rows, y.Columns))
        {
            return null;
        }

        Matrix dx = Matrix.Ensure(ref first._gradientInput, y.Rows, first.InputSize);
        return Gemm.TryHiddenLayerInputGradient(gradientOutput, _weights.Value, y, activation.Activation, activation.Slope, first._weights.Value, dx) ? dx : null;
    }

    /// <summary>
    /// The forward pass of this layer, <paramref name="activation"/> and <paramref name="second"/>
    /// (this → activation → second) a chunk of rows at a time, so the second product reads each chunk of the activation's
    /// output from cache (<c>Gemm.TryHiddenLayerForward</c>). The layers keep what their own passes would keep, so
    /// backward runs as usual; the results are bitwise the layer-by-layer pass's.
    /// </summary>
    /// <param name="input">X.</param>
    /// <param name="inputIsStable">Whether X stays unchanged until backward (else it is copied, as <see cref="ForwardCore"/> does).</param>
    /// <param name="activation">The activation between the two layers.</param>
    /// <param name="second">The second dense layer.</param>
    /// <param name="after">The activation after the second layer when it is fused into its product (its buffer takes
    /// the output, as the fused forward pass writes it), or null.</param>
    /// <returns>The output (the second layer's, or <paramref name="after"/>'s), or null when the shapes call for the
    /// layer-by-layer pass.</returns>
    internal Matrix? TryForwardThroughHiddenLayer(Matrix input, bool inputIsStable, ActivationLayer activation, Dense second, ActivationLayer? after)
    {
        if (second.InputSize != OutputSize || InputSize > GemmStream.MaxRows || second.OutputSize > GemmStream.MaxRows
            || !GemmEngine.HiddenChunkingWanted(input.Rows, OutputSize))
        {
            return null;
        }

        Matrix x = Keep(input, inputIsStable);
        Matrix h = activation.PrepareOutput(x.Rows, OutputSize);
        second.Keep(h, inputIsStable: true);
        Matrix y = after is null ? Matrix.Ensure(ref second._output, x.Rows, second.OutputSize) : after.PrepareOutput(x.Rows, second.OutputSize);
        Activation g = after?.Activation ?? Activation.Identity;
        float gSlope = after?.Slope ?? 0f;
        return Gemm.TryHiddenLayerForward(x, _weights.Value, _bias.Value.Span, activation.Activation, activation.Slope, h, second._weights.Value, second._bias.Value.Span, y, g, gSlope) ? y : null;
    }

    private Matrix Keep(Matrix input, bool inputIsStable) => _input = KeepInput(input, inputIsStable, InputSize, ref _inputCopy);
}

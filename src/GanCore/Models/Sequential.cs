using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Tensors;

namespace GanCore.Models;

/// <summary>
/// An ordered stack of layers, e.g. <c>Dense(5→128) → ReLU → Dense(128→15)</c>, run front to back and
/// differentiated back to front.
/// </summary>
/// <remarks>
/// <para>A Dense or SpectralNormDense layer directly followed by an activation is fused with it: one GEMM pass
/// writes act(X·W + b) (act(X·W̄ + b)) into the activation's output. Backward fuses an activation with the weight
/// layer after it: that layer's input-gradient product multiplies by the activation's derivative as it stores
/// (an activation with no weight layer after it, such as a last Tanh, runs its derivative as a pass of its own). The
/// results are the same as running the layers one after the other.</para>
/// <para>Gradients accumulate (see <see cref="Layer"/>): call <see cref="ZeroGradients"/> before each step.
/// Buffers grow to the largest batch seen and are reused, so a steady-state forward and backward pass allocates
/// nothing. A model instance is not thread-safe: use it from one thread at a time.</para>
/// </remarks>
public sealed partial class Sequential
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly bool[] _fusedWithNext;
    private Matrix? _inputCopy;
    private int _batchSize;
    private bool _isTraining = true;

    /// <summary>Creates a model from layers in order.</summary>
    /// <param name="layers">At least one layer, including at least one that fixes the input width (<see cref="Dense"/>, <see cref="SpectralNormDense"/>, <see cref="BatchNorm"/> or <see cref="LayerNorm"/>).</param>
    /// <exception cref="ArgumentNullException">The list or a layer is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, has no layer that fixes the input width (Dense, SpectralNormDense, BatchNorm or LayerNorm), repeats a layer instance, or two layer widths do not chain.</exception>
    public Sequential(params Layer[] layers)
        : this((IEnumerable<Layer>)layers)
    {
    }

    /// <summary>Creates a model from layers in order.</summary>
    /// <param name="layers">At least one layer, including at least one that fixes the input width (<see cref="Dense"/>, <see cref="SpectralNormDense"/>, <see cref="BatchNorm"/> or <see cref="LayerNorm"/>).</param>
    /// <exception cref="ArgumentNullException">The list or a layer is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, has no layer that fixes the input width (Dense, SpectralNormDense, BatchNorm or LayerNorm), repeats a layer instance, or two layer widths do not chain.</exception>
    public Sequential(IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A Sequential model needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null)
            {
                throw new ArgumentNullException(nameof(layers), $"Layer {i} is null.");
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(_layers[i], _layers[j]))
                {
                    throw new ArgumentException($"Layer {i} ({_layers[i].Name}) is the same instance as layer {j}; each layer keeps its own buffers, so use a new instance.", nameof(layers));
                }
            }
        }

        int? width = null;
        int? inputWidth = null;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i].RequiredInputWidth is { } required)
            {
                if (width is { } w && w != required)
                {
                    throw new ArgumentException($"Layer {i} ({_layers[i].Name}) expects input width {required}, but the layers before it produce width {w}.", nameof(layers));
                }

                inputWidth ??= required;
                width = required;
            }

            if (width is { } current)
            {
                width = _layers[i].OutputWidth(current);
            }
        }

        if (inputWidth is null)
        {
            throw new ArgumentException("A Sequential model needs at least one layer that fixes its input width (Dense, SpectralNormDense, BatchNorm or LayerNorm); activations, Softmax and Dropout take any width.", nameof(layers));
        }

        InputSize = inputWidth.Value;
        OutputSize = width!.Value;
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        IsTraining = true;
        _fusedWithNext = new bool[_layers.Length];
        for (int i = 0; i + 1 < _layers.Length; i++)
        {
            _fusedWithNext[i] = _layers[i] is IAffineLayer && _layers[i + 1] is ActivationLayer;
        }
    }

    /// <summary>
    /// Training mode (true, the default) or inference mode (false), for every layer of the model. Only
    /// <see cref="Dropout"/> (the identity in inference), <see cref="BatchNorm"/> (running statistics in inference) and
    /// <see cref="SpectralNormDense"/> (u is not updated in inference) behave differently. <see cref="Fit"/> trains in
    /// training mode, evaluates validation data in inference mode, then restores the mode it found. Set it to false before predicting with a trained model.
    /// </summary>
    public bool IsTraining
    {
        get => _isTraining;
        set
        {
            _isTraining = value;
            foreach (Layer layer in _layers)
            {
                layer.IsTraining = value;
            }
        }
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The total number of trainable scalars.</summary>
    public int ParameterCount => _parameters.Sum(p => p.Count);

    /// <summary>The input width.</summary>
    public int InputSize { get; }

    /// <summary>The output width.</summary>
    public int OutputSize { get; }

    /// <summary>Runs the model on a batch, one example per row.</summary>
    /// <param name="input">A batch of shape (rows ≥ 1, <see cref="InputSize"/>).</param>
    /// <returns>The output (rows, <see cref="OutputSize"/>), owned by the model and valid until the next forward pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty or has the wrong width.</exception>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rows == 0)
        {
            throw new ArgumentException($"Sequential({Describe()}): the input batch has 0 rows; a forward pass needs at least one example.", nameof(input));
        }

        if (input.Columns != InputSize)
        {
            throw new ArgumentException($"Sequential({Describe()}): expected input of shape (batch, {InputSize}) but got ({input.Rows}, {input.Columns}).", nameof(input));
        }

        // Keep a private copy of the caller's batch so that changing it before Backward changes nothing.
        Matrix x = Matrix.Ensure(ref _inputCopy, input.Rows, input.Columns);
        input.CopyTo(x);
        _batchSize = input.Rows;
        for (int i = 0; i < _layers.Length; i++)
        {
            // The model's mode wins even if a layer instance was also used by another model since.
            _layers[i].IsTraining = _isTraining;
            if (_fusedWithNext[i])
            {
                var affine = (IAffineLayer)_layers[i];
                var activation = (ActivationLayer)_layers[i + 1];
                activation.IsTraining = _isTraining; // skipped by the loop below, like every layer a fused pass consumes
                if (affine is Dense dense && i + 2 < _layers.Length && _layers[i + 2] is Dense second)
                {
                    // Dense → activation → Dense (→ the activation fused with it) with a large hidden batch: the second
                    // product reads the first activation's output chunk by chunk from cache.
                    ActivationLayer? after = _fusedWithNext[i + 2] ? (ActivationLayer)_layers[i + 3] : null;
                    if (dense.TryForwardThroughHiddenLayer(x, inputIsStable: true, activation, second, after) is { } output)
                    {
                        second.IsTraining = _isTraining;
                        if (after is not null)
                        {
                            after.IsTraining = _isTraining;
                        }

                        x = output;
                        i += after is null ? 2 : 3;
                        continue;
                    }
                }

                Matrix y = activation.PrepareOutput(x.Rows, _layers[i].OutputWidth(x.Columns));
                affine.ForwardFused(x, inputIsStable: true, y, activation.Activation, activation.Slope);
                x = y;
                i++;
            }
            else
            {
                x = _layers[i].ForwardCore(x, inputIsStable: true);
            }
        }

        return x;
    }

    /// <summary>Back-propagates dL/d(output) for the batch of the last <see cref="Forward"/>.</summary>
    /// <param name="gradientOutput">dL/d(output), shape (rows of the last forward pass, <see cref="OutputSize"/>).</param>
    /// <param name="parameterGradients"><see cref="ParameterGradients.Accumulate"/> adds into every parameter gradient;
    /// <see cref="ParameterGradients.Skip"/> leaves them untouched and only computes dL/d(input).</param>
    /// <returns>dL/d(input), owned by the first layer and valid until the next backward pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gradientOutput"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    /// <exception cref="InvalidOperationException">No forward pass has run yet.</exception>
    public Matrix Backward(Matrix gradientOutput, ParameterGradients parameterGradients = ParameterGradients.Accumulate) =>
        BackwardCore(gradientOutput, parameterGradients, needInputGradient: true)!;

    /// <summary>
    /// Adds dL/dθ into every parameter gradient without computing dL/d(input) at the first layer — the cheaper
    /// backward pass for when the input is data, not something upstream that learns.
    /// </summary>
    /// <param name="gradientOutput">dL/d(output), shape (rows of the last forward pass, <see cref="OutputSize"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="gradientOutput"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    /// <exception cref="InvalidOperationException">No forward pass has run yet.</exception>
    public void BackwardParameters(Matrix gradientOutput) =>
        BackwardCore(gradientOutput, ParameterGradients.Accumulate, needInputGradient: false);

    /// <summary>
    /// Whether one <see cref="Backward"/> pass that accumulates the parameter gradients is the cheaper way to get both
    /// them and the input gradient, as against <see cref="BackwardParameters"/> followed by a <see cref="Backward"/> that
    /// skips them. False only when those two would each take the chunked path through the first hidden layer (its
    /// gradient too large for the cache to keep), which the single pass does not.
    /// </summary>
    internal bool PrefersOneBackwardPass =>
        !(_layers.Length >= 3 && _layers[0] is Dense && _layers[1] is ActivationLayer { Output: { } y } && _layers[2] is Dense
          && GemmEngine.HiddenChunkingWanted(y.Rows, y.Columns));

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in _parameters)
        {
            p.ZeroGradient();
        }
    }

    /// <summary>Copies every parameter value, BatchNorm's running statistics and SpectralNormDense's u from a model with the same architecture.</summary>
    /// <param name="source">The model to copy from.</param>
    /// <exception cref="ArgumentException">The architectures differ.</exception>
    public void CopyParametersFrom(Sequential source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Describe() != Describe())
        {
            throw new ArgumentException($"Cannot copy parameters from [{source.Describe()}] into [{Describe()}]: the architectures differ.", nameof(source));
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            source._parameters[i].Value.CopyTo(_parameters[i].Value);
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is BatchNorm bn)
            {
                var from = (BatchNorm)source._layers[i];
                bn.SetRunningStatistics(from.RunningMean, from.RunningVariance);
            }
            else if (_layers[i] is SpectralNormDense sn)
            {
                ((SpectralNormDense)source._layers[i]).U.CopyTo(sn.UStorage);
            }
        }
    }

    /// <summary>The number of floats <see cref="CaptureState"/> writes: every parameter, then BatchNorm running statistics, then SpectralNormDense's u.</summary>
    internal int StateLength() => ParameterCount + _layers.OfType<BatchNorm>().Sum(b => 2 * b.Features) + _layers.OfType<SpectralNormDense>().Sum(s => s.OutputSize);

    /// <summary>Copies every parameter value, every BatchNorm running statistic and every SpectralNormDense u into <paramref name="destination"/>.</summary>
    internal void CaptureState(Span<float> destination)
    {
        int at = 0;
        foreach (Parameter p in _parameters)
        {
            p.Value.Span.CopyTo(destination[at..]);
            at += p.Count;
        }

        foreach (BatchNorm b in _layers.OfType<BatchNorm>())
        {
            b.RunningMean.CopyTo(destination[at..]);
            b.RunningVariance.CopyTo(destination[(at + b.Features)..]);
            at += 2 * b.Features;
        }

        foreach (SpectralNormDense s in _layers.OfType<SpectralNormDense>())
        {
            s.U.CopyTo(destination[at..]);
            at += s.OutputSize;
        }
    }

    /// <summary>Puts back what <see cref="CaptureState"/> wrote.</summary>
    internal void RestoreState(ReadOnlySpan<float> source)
    {
        int at = 0;
        foreach (Parameter p in _parameters)
        {
            source.Slice(at, p.Count).CopyTo(p.Value.Span);
            at += p.Count;
        }

        foreach (BatchNorm b in _layers.OfType<BatchNorm>())
        {
            b.SetRunningStatistics(source.Slice(at, b.Features), source.Slice(at + b.Features, b.Features));
            at += 2 * b.Features;
        }

        foreach (SpectralNormDense s in _layers.OfType<SpectralNormDense>())
        {
            source.Slice(at, s.OutputSize).CopyTo(s.UStorage);
            at += s.OutputSize;
        }
    }

    /// <summary>The architecture in one line, e.g. "Dense(5→128) → ReLU → Dense(128→15)".</summary>
    public string Describe() => string.Join(" → ", _layers.Select(l => l.Name));

    /// <inheritdoc/>
    public override string ToString() => $"Sequential({Describe()}; {ParameterCount} parameters)";

    /// <summary>
    /// <see cref="Backward"/> (<paramref name="needInputGradient"/> true) or <see cref="BackwardParameters"/> (false) for a
    /// caller that runs no other backward pass on this forward pass: then a hidden activation's kept output may be
    /// overwritten with the gradient at that activation's input (<see cref="IAffineLayer.BackwardThroughActivation"/>), so the
    /// pass keeps one hidden-sized buffer in cache instead of two. The results are bitwise those of the public methods;
    /// only what the model keeps of the forward pass is spent. The GAN step uses it.
    /// </summary>
    internal Matrix? BackwardLast(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient) =>
        BackwardCore(gradientOutput, parameterGradients, needInputGradient, spendForward: true);

    private Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient, bool spendForward = false)
    {
        ArgumentNullException.ThrowIfNull(gradientOutput);
        if (_batchSize == 0)
        {
            throw new InvalidOperationException($"Sequential({Describe()}): Backward was called before any Forward.");
        }

        if (gradientOutput.Rows != _batchSize || gradientOutput.Columns != OutputSize)
        {
            throw new ArgumentException($"Sequential({Describe()}): expected an output gradient of shape ({_batchSize}, {OutputSize}) — the last output's — but got ({gradientOutput.Rows}, {gradientOutput.Columns}).", nameof(gradientOutput));
        }

        Matrix? g = gradientOutput;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            if (i > 0 && _layers[i] is IAffineLayer affine && _layers[i - 1] is ActivationLayer activation)
            {
                Dense? dense = affine as Dense;
                if (i == 2 && !needInputGradient && parameterGradients == ParameterGradients.Accumulate && dense is not null && _layers[0] is Dense first
                    && dense.TryBackwardParametersThroughHiddenLayer(g!, activation, first))
                {
                    // Dense → activation → Dense with no input gradient wanted: both layers' parameter gradients, the
                    // activation's input gradient made and used a few rows at a time instead of stored.
                    return null;
                }

                if (i == 2 && parameterGradients == ParameterGradients.Skip && dense is not null && _layers[0] is Dense head
                    && dense.TryInputGradientThroughHiddenLayer(g!, activation, head) is { } inputGradient)
                {
                    // The same three layers with only the input gradient wanted (G's gradient through D): dX made from
                    // the activation's input gradient a few rows at a time.
                    return inputGradient;
                }

                // A weight layer after an activation: its input gradient and the activation's derivative in one GEMM pass.
                g = affine.BackwardThroughActivation(g!, parameterGradients, activation, needInputGradient || i > 1, spendForward);
                i--;
                continue;
            }

            bool needInput = needInputGradient || i > 0;
            g = _layers[i].BackwardCore(g!, parameterGradients, needInput);
        }

        return g;
    }
}

using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// One step of a network with a hand-written forward and backward pass.
/// </summary>
/// <remarks>
/// <para><b>Contract.</b> <see cref="Forward"/> returns a buffer the layer owns; it stays valid until the next
/// <see cref="Forward"/>. The layer keeps what <see cref="Backward"/> needs (a copy of its input, or its own
/// output). <see cref="Backward"/> takes dL/d(output) for the batch of the last forward pass, adds into the
/// parameter gradients (unless told to skip them), and returns dL/d(input) in another owned buffer, valid until
/// the next backward pass. Backward never changes what Forward kept, so several backward passes with different
/// upstream gradients may follow one forward pass.</para>
/// <para><b>Gradients accumulate</b>, everywhere in GanCore: call <see cref="Parameter.ZeroGradient"/> (or
/// <c>Sequential.ZeroGradients</c>) before a step.</para>
/// <para>Buffers grow to the largest batch seen and are reused, so a steady-state pass allocates nothing.
/// A layer is not thread-safe: use one instance from one thread at a time.</para>
/// </remarks>
public abstract class Layer
{
    private protected Layer()
    {
    }

    /// <summary>A short description, e.g. "Dense(5→128)", used in error messages.</summary>
    public abstract string Name { get; }

    /// <summary>The trainable parameters (empty for activations).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The number of rows of the last forward pass (0 before the first).</summary>
    public int BatchSize { get; private protected set; }

    /// <summary>
    /// Whether the layer runs in training mode (true, the default) or inference mode. Only <see cref="Dropout"/>,
    /// <see cref="BatchNorm"/> and <see cref="SpectralNormDense"/> (which advances its power iteration only in training
    /// mode) behave differently; every other layer ignores it. A model sets it on all its layers
    /// through <see cref="Models.Sequential.IsTraining"/>, the one switch users turn.
    /// </summary>
    public bool IsTraining { get; internal set; } = true;

    /// <summary>Runs the layer on a batch, one example per row.</summary>
    /// <param name="input">The batch; at least one row, with the width the layer expects.</param>
    /// <returns>The output, owned by the layer and valid until the next forward pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty or has the wrong width; for Softmax, Dropout, BatchNorm and
    /// LayerNorm also when a value is NaN or infinite (one such value would poison a whole row or batch), or when
    /// BatchNorm in training mode gets a single row.</exception>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        if (RejectsNonFiniteInput)
        {
            CheckFinite(input);
        }

        return ForwardCore(input, inputIsStable: false);
    }

    /// <summary>Runs the backward pass for the batch of the last <see cref="Forward"/>.</summary>
    /// <param name="gradientOutput">dL/d(output), the shape of the last output.</param>
    /// <param name="parameterGradients">Whether to add into the parameter gradients or leave them untouched.</param>
    /// <returns>dL/d(input), owned by the layer and valid until the next backward pass.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gradientOutput"/> is null.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    /// <exception cref="InvalidOperationException">No forward pass has run yet.</exception>
    public Matrix Backward(Matrix gradientOutput, ParameterGradients parameterGradients = ParameterGradients.Accumulate)
    {
        ArgumentNullException.ThrowIfNull(gradientOutput);
        CheckGradient(gradientOutput);
        return BackwardCore(gradientOutput, parameterGradients, needInputGradient: true)!;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The output width for an input of width <paramref name="inputWidth"/>.</summary>
    internal abstract int OutputWidth(int inputWidth);

    /// <summary>The input width this layer requires, or null when it takes any width.</summary>
    internal abstract int? RequiredInputWidth { get; }

    /// <summary>The forward pass. When <paramref name="inputIsStable"/> the caller promises the input buffer
    /// is not changed before the matching backward pass (Sequential's own buffers), so it need not be copied.</summary>
    internal abstract Matrix ForwardCore(Matrix input, bool inputIsStable);

    /// <summary>The backward pass; returns null when <paramref name="needInputGradient"/> is false.</summary>
    internal abstract Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient);

    /// <summary>The shape the next gradient must have (the last output's).</summary>
    internal abstract (int Rows, int Columns) OutputShape { get; }

    /// <summary>
    /// Whether <see cref="Forward"/> rejects NaN and infinite inputs. The layers added with format version 2 do: a
    /// single bad value spreads through a row (Softmax, LayerNorm) or the whole batch (BatchNorm). Inside a model the
    /// check is left to Fit, which checks its data once, not every pass.
    /// </summary>
    internal virtual bool RejectsNonFiniteInput => false;

    private void CheckFinite(Matrix input)
    {
        for (int i = 0; i < input.Rows; i++)
        {
            ReadOnlySpan<float> row = input.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"{Name}: input[{i}, {j}] is {row[j]}; inputs must be finite.", nameof(input));
                }
            }
        }
    }

    internal void CheckInput(Matrix input)
    {
        if (input.Rows == 0)
        {
            throw new ArgumentException($"{Name}: the input batch has 0 rows; a forward pass needs at least one example.", nameof(input));
        }

        if (RequiredInputWidth is { } width && input.Columns != width)
        {
            throw new ArgumentException($"{Name}: expected input of shape (batch, {width}) but got ({input.Rows}, {input.Columns}).", nameof(input));
        }
    }

    internal void CheckGradient(Matrix gradientOutput)
    {
        if (BatchSize == 0)
        {
            throw new InvalidOperationException($"{Name}: Backward was called before any Forward.");
        }

        (int rows, int columns) = OutputShape;
        if (gradientOutput.Rows != rows || gradientOutput.Columns != columns)
        {
            throw new ArgumentException($"{Name}: expected an output gradient of shape ({rows}, {columns}) — the last output's — but got ({gradientOutput.Rows}, {gradientOutput.Columns}).", nameof(gradientOutput));
        }
    }

    /// <summary>
    /// Keeps a forward pass's input X for the backward pass of a weight layer (dW needs Xᵀ·dY) and sets
    /// <see cref="BatchSize"/>: X itself when <paramref name="inputIsStable"/>, otherwise a copy in
    /// <paramref name="copy"/>, which grows to the largest batch. Shared by <see cref="Dense"/> and <see cref="SpectralNormDense"/>.
    /// </summary>
    private protected Matrix KeepInput(Matrix input, bool inputIsStable, int inputWidth, ref Matrix? copy)
    {
        BatchSize = input.Rows;
        if (inputIsStable)
        {
            return input;
        }

        Matrix kept = Matrix.Ensure(ref copy, input.Rows, inputWidth);
        input.CopyTo(kept);
        return kept;
    }

    /// <summary>
    /// The end of a weight layer's backward pass: db += Σ_rows dY into <paramref name="biasGradient"/> when the parameter
    /// gradients accumulate, then dX = dY·Wᵀ into <paramref name="gradientInput"/> (grown as needed), or null when the
    /// input gradient is not needed. Shared by <see cref="Dense"/> and <see cref="SpectralNormDense"/> (whose W is W̄).
    /// </summary>
    private protected static Matrix? BiasAndInputGradient(Matrix gradientOutput, Matrix weights, Span<float> biasGradient, ParameterGradients parameterGradients, bool needInputGradient, ref Matrix? gradientInput)
    {
        if (parameterGradients == ParameterGradients.Accumulate)
        {
            Elementwise.ColumnSums(gradientOutput.Span, gradientOutput.Rows, gradientOutput.Columns, gradientOutput.Stride, biasGradient, accumulate: true); // db += Σ dY
        }

        if (!needInputGradient)
        {
            return null;
        }

        Matrix dx = Matrix.Ensure(ref gradientInput, gradientOutput.Rows, weights.Rows);
        Gemm.MultiplyTransposedB(gradientOutput, weights, dx); // dX = dY·Wᵀ
        return dx;
    }

    /// <summary>
    /// <see cref="IAffineLayer.BackwardThroughActivation"/> for a weight layer whose kept input is
    /// <paramref name="keptInput"/> and whose forward product multiplied by <paramref name="weights"/> (W, or W̄):
    /// the layer's own backward pass for the parameter gradients, then f'(Y) ⊙ (dY·Mᵀ) in one GEMM into
    /// <paramref name="gradientInput"/> (grown as needed) or over Y. Shared by <see cref="Dense"/> and
    /// <see cref="SpectralNormDense"/>.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private protected Matrix? BackwardThroughActivation(Matrix? keptInput, Matrix weights, ref Matrix? gradientInput, Matrix gradientOutput, ParameterGradients parameterGradients, ActivationLayer activation, bool needInputGradient, bool overwriteActivationOutput)
    {
        if (!needInputGradient)
        {
            return BackwardCore(gradientOutput, parameterGradients, needInputGradient: false);
        }

        Matrix? y = activation.Output;
        if (y is null || !ReferenceEquals(keptInput, y) || y.Stride != y.Columns)
        {
            Matrix? g = BackwardCore(gradientOutput, parameterGradients, needInputGradient: true);
            return activation.BackwardCore(g!, parameterGradients, needInputGradient);
        }

        BackwardCore(gradientOutput, parameterGradients, needInputGradient: false);
        Matrix dx = overwriteActivationOutput && gradientOutput.Columns <= GemmStream.MaxRows ? y : Matrix.Ensure(ref gradientInput, gradientOutput.Rows, weights.Rows);
        Gemm.MultiplyTransposedBActivationGradient(gradientOutput, weights, dx, y, activation.Activation, activation.Slope); // dX = f'(Y) ⊙ (dY·Mᵀ)
        return dx;
    }
}

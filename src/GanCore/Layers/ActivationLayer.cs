using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// An element-wise activation y = f(x). It keeps its output: every supported f has a derivative that is a
/// function of y (ReLU: y &gt; 0; sigmoid: y(1−y); tanh: 1−y²), so backward is dX = dY ⊙ f'(y).
/// It accepts any input width.
/// </summary>
public abstract class ActivationLayer : Layer
{
    private Matrix? _output;
    private Matrix? _gradientInput;

    private protected ActivationLayer(Activation activation, float slope)
    {
        Activation = activation;
        Slope = slope;
    }

    /// <summary>Which function this layer applies.</summary>
    public Activation Activation { get; }

    /// <summary>The negative-side slope (LeakyReLU only; 0 otherwise).</summary>
    public float Slope { get; }

    internal override int? RequiredInputWidth => null;

    /// <summary>The output of the last forward pass, y = f(x), from which f'(x) is read (the gradient penalties' activation masks); null before the first.</summary>
    internal Matrix? KeptOutput => _output;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, _output?.Columns ?? 0);

    internal override int OutputWidth(int inputWidth) => inputWidth;

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        Matrix y = PrepareOutput(input.Rows, input.Columns);
        input.CopyTo(y);

        // Row by row, exactly like the fused weight layer's epilogue: the vector kernels' tails may round a transcendental
        // (exp in sigmoid/tanh) differently from their full-width lanes, so one pass over the whole buffer would
        // make an example's output depend on its position in the batch and differ from the fused path.
        for (int i = 0; i < y.Rows; i++)
        {
            Elementwise.Activate(Activation, y.Row(i), Slope);
        }

        return y;
    }

    /// <summary>The output of the last forward pass (null before the first): what backward differentiates through.</summary>
    internal Matrix? Output => _output;

    /// <summary>Sizes the output buffer for a fused forward pass that a preceding weight layer (Dense or SpectralNormDense) fills.</summary>
    internal Matrix PrepareOutput(int rows, int columns)
    {
        BatchSize = rows;
        return Matrix.Ensure(ref _output, rows, columns);
    }

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        if (!needInputGradient)
        {
            return null;
        }

        Matrix y = _output!;
        Matrix dx = Matrix.Ensure(ref _gradientInput, y.Rows, y.Columns);
        if (gradientOutput.IsContiguous)
        {
            Elementwise.ActivationBackward(Activation, gradientOutput.Span, y.Span, dx.Span, Slope);
        }
        else
        {
            for (int i = 0; i < y.Rows; i++)
            {
                Elementwise.ActivationBackward(Activation, gradientOutput.Row(i), y.Row(i), dx.Row(i), Slope);
            }
        }

        return dx;
    }
}

using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// Softmax over each row: yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), with m = maxⱼ xⱼ so no exponential overflows.
/// It turns a classifier's logits into probabilities for inference; for training, keep the logits and use
/// <see cref="Losses.SoftmaxCrossEntropy"/>, which contains the softmax and is stabler and cheaper.
/// </summary>
/// <remarks>
/// <para><b>Backward.</b> The Jacobian is ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ), so dxᵢ = yᵢ · (dyᵢ − Σⱼ dyⱼ·yⱼ). The layer keeps its
/// output y. It behaves the same in training and inference mode, and accepts any input width.</para>
/// </remarks>
public sealed class Softmax : Layer
{
    private Matrix? _output;
    private Matrix? _gradientInput;

    /// <inheritdoc/>
    public override string Name => "Softmax";

    internal override bool RejectsNonFiniteInput => true;

    internal override int? RequiredInputWidth => null;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, _output?.Columns ?? 0);

    internal override int OutputWidth(int inputWidth) => inputWidth;

    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        BatchSize = input.Rows;
        Matrix y = Matrix.Ensure(ref _output, input.Rows, input.Columns);
        for (int i = 0; i < input.Rows; i++)
        {
            Forward(input.Row(i), y.Row(i));
        }

        return y;
    }

    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        if (!needInputGradient)
        {
            return null;
        }

        Matrix y = _output!;
        Matrix dx = Matrix.Ensure(ref _gradientInput, y.Rows, y.Columns);
        for (int i = 0; i < y.Rows; i++)
        {
            ReadOnlySpan<float> yr = y.Row(i);
            ReadOnlySpan<float> dy = gradientOutput.Row(i);
            Span<float> d = dx.Row(i);
            double dot = 0;
            for (int j = 0; j < yr.Length; j++)
            {
                dot += (double)dy[j] * yr[j];                        // Σⱼ dyⱼ·yⱼ
            }

            for (int j = 0; j < yr.Length; j++)
            {
                d[j] = (float)(yr[j] * (dy[j] - dot));               // dxᵢ = yᵢ(dyᵢ − Σⱼ dyⱼyⱼ)
            }
        }

        return dx;
    }

    /// <summary>The softmax of one row, shifted by its maximum; the sum is taken in double.</summary>
    internal static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x)
        {
            max = ScalarMath.Max(max, v);
        }

        double sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            float e = MathF.Exp(x[j] - max);
            y[j] = e;
            sum += e;
        }

        float inverse = (float)(1.0 / sum);
        for (int j = 0; j < y.Length; j++)
        {
            y[j] *= inverse;
        }
    }
}

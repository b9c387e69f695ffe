using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Kernels;

/// <summary>The vector widths a kernel test loops over: every width this process accelerates, narrowest first.</summary>
internal static class KernelWidths
{
    private static readonly VectorWidth[] s_all = [VectorWidth.Scalar, VectorWidth.Bits128, VectorWidth.Bits256, VectorWidth.Bits512];

    public static IEnumerable<VectorWidth> Available => s_all.Where(w => w <= KernelDispatch.HardwareWidth);

    /// <summary>Every length 0..256: all tails of every width, several full vectors of the widest.</summary>
    public const int MaxLength = 256;
}

/// <summary>
/// Buffers with guard cells on both sides, so a kernel that writes past either end of its span is caught.
/// The payload starts at a varying offset so that alignment varies with the length too.
/// </summary>
internal sealed class Guarded
{
    public const int Guard = 19;
    public const float Sentinel = -12345.678f;

    private readonly float[] _data;
    private readonly int _start;

    public Guarded(int length, int misalignment)
    {
        _start = Guard + misalignment;
        Length = length;
        _data = new float[length + _start + Guard];
        _data.AsSpan().Fill(Sentinel);
    }

    public int Length { get; }

    public Span<float> Span => _data.AsSpan(_start, Length);

    public void AssertGuardsIntact(string what)
    {
        for (int i = 0; i < _data.Length; i++)
        {
            if (i < _start || i >= _start + Length)
            {
                if (_data[i] != Sentinel)
                {
                    Assert.Fail($"{what}: wrote outside the span at guard index {i - _start} (length {Length}).");
                }
            }
        }
    }
}

/// <summary>
/// <see cref="Elementwise"/> against <see cref="ElementwiseReference"/> at every length 0..256 and every vector
/// width this machine accelerates, plus extreme inputs, in-place use and argument errors.
/// </summary>
public class ElementwiseTests
{
    // Tolerances, stated once.
    // Exact ops (ReLU, LeakyReLU, Identity, Add, Scale, the ReLU/Leaky/Sigmoid/Tanh backward formulas) are
    // compared bit for bit (NaN equal to NaN, +0 equal to −0).
    // Sigmoid and Tanh use the vectorized Exp (about 1 ulp; Exp(0) is 1 + 2^-23) and a division:
    // |kernel − reference| ≤ TranscendentalAbs + TranscendentalRel·|reference|. The absolute floor only covers
    // sigmoid below −87, where e^(−x) overflows to +∞ and the kernel returns 0 for a subnormal true value.
    private const float TranscendentalRel = 4e-7f; // ≈ 3.4 ulp of float
    private const float TranscendentalAbs = 1.2e-38f; // the smallest normal float

    // Fused (Axpy, Dot) and summed (ColumnSums) ops: FMA may or may not be fused at a given width, and sums
    // are reordered across lanes, so the bound scales with the sum of magnitudes: |err| ≤ SumRel·Σ|terms|·(count + 1).
    private const double SumRel = 1.2e-7; // one float rounding (2^-23)

    private const float Slope = 0.2f;

    private static readonly Activation[] s_activations = [Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh];

    /// <summary>n floats uniform in [low, high) from <paramref name="rng"/> (shared with the guard-page tests).</summary>
    internal static float[] RandomValues(RandomSource rng, int n, float low, float high)
    {
        var values = new float[n];
        rng.FillUniform(values, low, high);
        return values;
    }

    private static void AssertExact(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float absolute, float relative, string what)
    {
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i];
            float a = actual[i];
            if (float.IsNaN(e) || float.IsInfinity(e))
            {
                if (!e.Equals(a))
                {
                    Assert.Fail($"{what}: element {i} is {a:R}, expected {e:R}.");
                }

                continue;
            }

            float bound = absolute + (relative * MathF.Abs(e));
            if (!(MathF.Abs(a - e) <= bound))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {a:R}, expected {e:R} (error {MathF.Abs(a - e):E3} > bound {bound:E3}).");
            }
        }
    }

    private static bool IsExact(Activation activation) => activation is not (Activation.Sigmoid or Activation.Tanh);

    private static void AssertActivation(Activation activation, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        if (IsExact(activation))
        {
            AssertExact(expected, actual, what);
        }
        else
        {
            AssertClose(expected, actual, TranscendentalAbs, TranscendentalRel, what);
        }
    }

    [Fact]
    public void Activate_matches_reference_in_place_at_every_length_and_width()
    {
        var rng = new RandomSource(1001);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in s_activations)
                {
                    for (int n = 0; n <= KernelWidths.MaxLength; n++)
                    {
                        float[] x = RandomValues(rng, n, -9f, 9f);
                        var expected = x.Select(v => ElementwiseReference.Activate(activation, v, Slope)).ToArray();
                        var buffer = new Guarded(n, n % 5);
                        x.CopyTo(buffer.Span);
                        Elementwise.Activate(activation, buffer.Span, Slope);
                        string what = $"{activation} n={n} width={width}";
                        AssertActivation(activation, expected, buffer.Span, what);
                        buffer.AssertGuardsIntact(what);
                    }
                }
            }
        }
    }

    [Fact]
    public void Map_unary_out_of_place_leaves_the_input_alone()
    {
        var rng = new RandomSource(1002);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    float[] x = RandomValues(rng, n, -5f, 5f);
                    float[] original = (float[])x.Clone();
                    var y = new Guarded(n, (n + 1) % 4);
                    Elementwise.Map(default(SquareOp), x, y.Span);
                    string what = $"square n={n} width={width}";
                    AssertExact(original.Select(v => v * v).ToArray(), y.Span, what);
                    AssertExact(original, x, what + " (input)");
                    y.AssertGuardsIntact(what);

                    Elementwise.Map(default(SigmoidOp), x, y.Span);
                    AssertClose(original.Select(v => ElementwiseReference.Activate(Activation.Sigmoid, v, 0f)).ToArray(), y.Span, TranscendentalAbs, TranscendentalRel, "sigmoid " + what);
                    AssertExact(original, x, what + " (input after sigmoid)");
                }
            }
        }
    }

    [Fact]
    public void Map_binary_keeps_the_argument_order_at_every_length_and_width()
    {
        var rng = new RandomSource(1003);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    float[] x = RandomValues(rng, n, -5f, 5f);
                    float[] y = RandomValues(rng, n, -5f, 5f);
                    var z = new Guarded(n, n % 3);
                    Elementwise.Map(default(SubtractOp), x, y, z.Span);
                    string what = $"x−y n={n} width={width}";
                    AssertExact(x.Zip(y, (a, b) => a - b).ToArray(), z.Span, what);
                    z.AssertGuardsIntact(what);

                    // In place on either input.
                    float[] expected = x.Zip(y, (a, b) => a - b).ToArray();
                    float[] xInPlace = (float[])x.Clone();
                    Elementwise.Map(default(SubtractOp), xInPlace, y, xInPlace);
                    AssertExact(expected, xInPlace, what + " in place on x");
                    float[] yInPlace = (float[])y.Clone();
                    Elementwise.Map(default(SubtractOp), x, yInPlace, yInPlace);
                    AssertExact(expected, yInPlace, what + " in place on y");
                }
            }
        }
    }

    /// <summary>
    /// act(x + bias) through the one implementation of a fused bias and activation, the GEMM epilogue: C = [1]·x
    /// (a 1×1 by 1×n product, whose accumulator is x exactly) with the bias-activation epilogue.
    /// </summary>
    private static void BiasActivateViaEpilogue(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        var one = Matrix.FromRows(1, 1, [1f]);
        var row = Matrix.FromRows(1, x.Length, x);
        var c = new Matrix(1, x.Length);
        Gemm.MultiplyBiasActivation(one, row, bias, c, activation, Slope);
        c.Span.CopyTo(y);
    }

    [Fact]
    public void The_bias_activation_epilogue_matches_reference_at_every_length_and_width()
    {
        var rng = new RandomSource(1004);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in s_activations)
                {
                    for (int n = 1; n <= 70; n++)
                    {
                        float[] x = RandomValues(rng, n, -6f, 6f);
                        float[] bias = RandomValues(rng, n, -3f, 3f);
                        var expected = x.Zip(bias, (a, b) => ElementwiseReference.Activate(activation, a + b, Slope)).ToArray();
                        var y = new float[n];
                        BiasActivateViaEpilogue(activation, x, bias, y);
                        AssertActivation(activation, expected, y, $"bias+{activation} n={n} width={width}");
                    }
                }
            }
        }
    }

    [Fact]
    public void ActivationBackward_uses_the_output_and_matches_reference_at_every_length_and_width()
    {
        var rng = new RandomSource(1005);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in s_activations)
                {
                    for (int n = 0; n <= KernelWidths.MaxLength; n++)
                    {
                        // y is a real activation output (so the "from output" formulas apply), g an upstream gradient.
                        float[] preActivation = RandomValues(rng, n, -4f, 4f);
                        float[] y = preActivation.Select(v => ElementwiseReference.Activate(activation, v, Slope)).ToArray();
                        float[] g = RandomValues(rng, n, -2f, 2f);
                        float[] yCopy = (float[])y.Clone();
                        var expected = g.Zip(y, (gi, yi) => gi * ElementwiseReference.DerivativeFromOutput(activation, yi, Slope)).ToArray();
                        var dx = new Guarded(n, n % 4);
                        Elementwise.ActivationBackward(activation, g, y, dx.Span, Slope);
                        string what = $"{activation}' n={n} width={width}";
                        AssertExact(expected, dx.Span, what);
                        dx.AssertGuardsIntact(what);
                        AssertExact(yCopy, y, what + ": the output must not change");

                        // In place on the upstream gradient.
                        Elementwise.ActivationBackward(activation, g, y, g, Slope);
                        AssertExact(expected, g, what + " in place");
                    }
                }
            }
        }
    }

    [Fact]
    public void ActivationBackward_derivatives_are_the_textbook_values()
    {
        // y = act(x) for hand-picked x; the derivative from the output must be the derivative at x.
        float[] g = [1f, 1f, 1f, 2f];
        var sigmoidOut = new float[] { 0.5f, 0.25f, 0.75f, 0.5f }; // σ' = y(1−y): 0.25, 0.1875, 0.1875, ×2 → 0.5
        var tanhOut = new float[] { 0f, 0.5f, -0.5f, 0f };         // tanh' = 1−y²: 1, 0.75, 0.75, ×2 → 2
        var reluOut = new float[] { 0f, 3f, 0f, 1f };              // 0, 1, 0, ×2 → 2
        var leakyOut = new float[] { -0.4f, 3f, 0f, -1f };         // slope 0.2, 1, slope 0.2 (y = 0 is x ≤ 0), 0.2×2
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                var dx = new float[4];
                Elementwise.ActivationBackward(Activation.Sigmoid, g, sigmoidOut, dx);
                dx.Should().Equal(0.25f, 0.1875f, 0.1875f, 0.5f);
                Elementwise.ActivationBackward(Activation.Tanh, g, tanhOut, dx);
                dx.Should().Equal(1f, 0.75f, 0.75f, 2f);
                Elementwise.ActivationBackward(Activation.ReLU, g, reluOut, dx);
                dx.Should().Equal(0f, 1f, 0f, 2f);
                Elementwise.ActivationBackward(Activation.LeakyReLU, g, leakyOut, dx, 0.2f);
                dx.Should().Equal(0.2f, 1f, 0.2f, 0.4f);
                Elementwise.ActivationBackward(Activation.Identity, g, leakyOut, dx);
                dx.Should().Equal(g);
            }
        }
    }

    [Fact]
    public void Axpy_Scale_Add_match_reference_at_every_length_and_width()
    {
        var rng = new RandomSource(1006);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    string what = $"n={n} width={width}";
                    float[] x = RandomValues(rng, n, -10f, 10f);
                    float[] y = RandomValues(rng, n, -10f, 10f);
                    float alpha = -0.37f;

                    // Axpy: y += αx. Fused or not, the error is at most one rounding of |αx| + |y| beyond the double result.
                    var axpy = new Guarded(n, n % 2);
                    y.CopyTo(axpy.Span);
                    Elementwise.Axpy(alpha, x, axpy.Span);
                    axpy.AssertGuardsIntact("axpy " + what);
                    for (int i = 0; i < n; i++)
                    {
                        double exact = (alpha * (double)x[i]) + y[i];
                        double bound = SumRel * ((Math.Abs(alpha * (double)x[i]) + Math.Abs(y[i])) * 2);
                        if (!(Math.Abs(axpy.Span[i] - exact) <= bound))
                        {
                            Assert.Fail($"axpy {what} element {i}: {axpy.Span[i]:R}, expected {exact:R} ± {bound:E2}.");
                        }
                    }

                    // Scale: x *= α, exact.
                    var scaled = new Guarded(n, (n + 3) % 4);
                    x.CopyTo(scaled.Span);
                    Elementwise.Scale(alpha, scaled.Span);
                    AssertExact(x.Select(v => v * alpha).ToArray(), scaled.Span, "scale " + what);
                    scaled.AssertGuardsIntact("scale " + what);

                    // Scale into another buffer: y = αx, exact, x untouched.
                    var scaledCopy = new Guarded(n, (n + 1) % 4);
                    float[] source = x.ToArray();
                    Elementwise.Scale(alpha, source, scaledCopy.Span);
                    AssertExact(x.Select(v => v * alpha).ToArray(), scaledCopy.Span, "scaled copy " + what);
                    AssertExact(x, source, "scaled copy's source " + what);
                    scaledCopy.AssertGuardsIntact("scaled copy " + what);

                    // Add: z = x + y, exact, also in place.
                    var sum = new Guarded(n, n % 3);
                    Elementwise.Add(x, y, sum.Span);
                    float[] expected = x.Zip(y, (a, b) => a + b).ToArray();
                    AssertExact(expected, sum.Span, "add " + what);
                    sum.AssertGuardsIntact("add " + what);
                    Elementwise.Add(x, y, x);
                    AssertExact(expected, x, "add in place " + what);
                }
            }
        }
    }

    [Fact]
    public void ColumnSums_match_reference_for_strided_blocks_at_every_width()
    {
        var rng = new RandomSource(1007);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int columns = 0; columns <= KernelWidths.MaxLength; columns++)
                {
                    int rows = 1 + (columns % 7);
                    int stride = columns + (columns % 3);
                    int length = rows == 0 || columns == 0 ? 0 : ((rows - 1) * stride) + columns;
                    float[] x = RandomValues(rng, length, -4f, 4f);
                    float[] start = RandomValues(rng, columns, -1f, 1f);
                    string what = $"{rows}×{columns} stride {stride} width={width}";

                    foreach (bool accumulate in new[] { false, true })
                    {
                        var expected = (float[])start.Clone();
                        ElementwiseReference.ColumnSums(x, rows, columns, stride, expected, accumulate);
                        var sums = new Guarded(columns, columns % 4);
                        start.CopyTo(sums.Span);
                        Elementwise.ColumnSums(x, rows, columns, stride, sums.Span, accumulate);
                        sums.AssertGuardsIntact(what);
                        for (int j = 0; j < columns; j++)
                        {
                            double magnitude = accumulate ? Math.Abs(start[j]) : 0;
                            for (int i = 0; i < rows; i++)
                            {
                                magnitude += Math.Abs(x[(i * stride) + j]);
                            }

                            double bound = SumRel * magnitude * (rows + 1);
                            if (!(Math.Abs(sums.Span[j] - (double)expected[j]) <= bound))
                            {
                                Assert.Fail($"{what} accumulate={accumulate} column {j}: {sums.Span[j]:R}, expected {expected[j]:R} ± {bound:E2}.");
                            }

                            // And exactly the float sum row after row, whatever the width and however many columns
                            // share a pass: the bias gradient's bits must not depend on the layer's width.
                            float inOrder = accumulate ? start[j] : 0f;
                            for (int i = 0; i < rows; i++)
                            {
                                inOrder += x[(i * stride) + j];
                            }

                            if (BitConverter.SingleToInt32Bits(sums.Span[j]) != BitConverter.SingleToInt32Bits(inOrder))
                            {
                                Assert.Fail($"{what} accumulate={accumulate} column {j}: {sums.Span[j]:R}, the row-by-row float sum is {inOrder:R}.");
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void ColumnSums_adds_exact_small_integers_and_ignores_the_gaps()
    {
        // 3×2 block with stride 4; the gap cells hold NaN and must not leak into the sums.
        float[] x = [1, 2, float.NaN, float.NaN, 10, 20, float.NaN, float.NaN, 100, 200];
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                float[] sums = [5, 7];
                Elementwise.ColumnSums(x, 3, 2, 4, sums, accumulate: true);
                sums.Should().Equal(116f, 229f);
                Elementwise.ColumnSums(x, 3, 2, 4, sums, accumulate: false);
                sums.Should().Equal(111f, 222f);
            }
        }
    }

    [Fact]
    public void ColumnSums_with_no_columns_or_no_rows()
    {
        // A rows × 0 block needs no elements at all, whatever the stride.
        Elementwise.ColumnSums(ReadOnlySpan<float>.Empty, 5, 0, 3, Span<float>.Empty, accumulate: false);
        float[] sums = [1f, 2f];
        Elementwise.ColumnSums(ReadOnlySpan<float>.Empty, 0, 2, 2, sums, accumulate: true);
        sums.Should().Equal(1f, 2f);
        Elementwise.ColumnSums(ReadOnlySpan<float>.Empty, 0, 2, 2, sums, accumulate: false);
        sums.Should().Equal(0f, 0f);
    }

    [Fact]
    public void ColumnSums_rejects_bad_shapes()
    {
        var x = new float[12];
        var sums = new float[3];
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, -1, 3, 3, sums, false)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, 2, -1, 3, sums, false)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, 2, 3, 2, sums, false)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stride");
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, 3, 3, 5, sums, false)).Should().Throw<ArgumentException>().WithParameterName("x"); // needs 13
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, 2, 3, 3, new float[4], false)).Should().Throw<ArgumentException>().WithParameterName("sums");
        FluentActions.Invoking(() => Elementwise.ColumnSums(x, 2, 3, 3, x.AsSpan(9, 3), false)).Should().Throw<ArgumentException>().WithParameterName("sums");
    }

    [Fact]
    public void Dot_matches_reference_at_every_length_and_width()
    {
        var rng = new RandomSource(1008);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    float[] x = RandomValues(rng, n, -3f, 3f);
                    float[] y = RandomValues(rng, n, -3f, 3f);
                    double exact = 0;
                    double magnitude = 0;
                    for (int i = 0; i < n; i++)
                    {
                        exact += x[i] * (double)y[i];
                        magnitude += Math.Abs(x[i] * (double)y[i]);
                    }

                    float dot = Elementwise.Dot(x, y);
                    Math.Abs(dot - exact).Should().BeLessThanOrEqualTo(SumRel * magnitude * (n + 1), "n={0} width={1}", n, width);
                }
            }
        }
    }

    [Fact]
    public void SumOfSquares_matches_a_double_sum_at_every_length_and_width_and_propagates_NaN_and_overflow()
    {
        var rng = new RandomSource(1009);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    float[] x = RandomValues(rng, n, -3f, 3f);
                    double exact = x.Sum(v => (double)v * v);
                    Math.Abs(Elementwise.SumOfSquares(x) - exact).Should().BeLessThanOrEqualTo(SumRel * exact * (n + 1), "n={0} width={1}", n, width);

                    // Small integers are exact in any order: every one of the four sums and the tail is counted once.
                    float[] k = Enumerable.Range(1, n).Select(i => (float)(i % 7)).ToArray();
                    Elementwise.SumOfSquares(k).Should().Be(k.Sum(v => v * v), "n={0} width={1}", n, width);
                    if (n > 0)
                    {
                        k[n - 1] = float.NaN;
                        float.IsNaN(Elementwise.SumOfSquares(k)).Should().BeTrue("NaN last of {0}, width {1}", n, width);
                        k[n - 1] = 2e19f;
                        Elementwise.SumOfSquares(k).Should().Be(float.PositiveInfinity, "(2e19)² overflows float, n={0} width={1}", n, width);
                    }
                }
            }
        }
    }

    [Fact]
    public void Dot_of_small_integers_is_exact_and_propagates_NaN()
    {
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= 70; n++)
                {
                    float[] x = Enumerable.Range(1, n).Select(i => (float)i).ToArray();
                    float[] ones = Enumerable.Repeat(1f, n).ToArray();
                    Elementwise.Dot(x, ones).Should().Be(n * (n + 1) / 2f, "n={0} width={1}", n, width);
                    if (n > 0)
                    {
                        ones[n / 2] = float.NaN;
                        float.IsNaN(Elementwise.Dot(x, ones)).Should().BeTrue("NaN at {0} of {1}, width {2}", n / 2, n, width);
                    }
                }
            }
        }

        FluentActions.Invoking(() => Elementwise.Dot(new float[3], new float[4])).Should().Throw<ArgumentException>().WithParameterName("y");
    }

    [Fact]
    public void AllFinite_finds_one_bad_value_at_any_position()
    {
        float[] bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= 80; n++)
                {
                    var x = new float[n];
                    for (int i = 0; i < n; i++)
                    {
                        x[i] = (i % 2 == 0 ? 1 : -1) * float.MaxValue / (i + 1); // large but finite
                    }

                    Elementwise.AllFinite(x).Should().BeTrue("n={0}", n);
                    for (int i = 0; i < n; i++)
                    {
                        float keep = x[i];
                        x[i] = bad[i % 3];
                        Elementwise.AllFinite(x).Should().BeFalse("{0} at {1} of {2}", x[i], i, n);
                        x[i] = keep;
                    }
                }
            }
        }
    }

    [Fact]
    public void Sigmoid_and_tanh_saturate_and_propagate_NaN_at_every_position()
    {
        (float Input, float Sigmoid, float Tanh)[] cases =
        [
            (1e4f, 1f, 1f),
            (-1e4f, 0f, -1f),
            (float.PositiveInfinity, 1f, 1f),
            (float.NegativeInfinity, 0f, -1f),
            (float.MaxValue, 1f, 1f),
            (-float.MaxValue, 0f, -1f),
            (0f, 0.5f, 0f),
            (float.NaN, float.NaN, float.NaN),
        ];
        const int n = 37; // crosses the vector body and the tail at every width
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (var c in cases)
                {
                    for (int position = 0; position < n; position++)
                    {
                        var s = new float[n];
                        var t = new float[n];
                        s[position] = c.Input;
                        t[position] = c.Input;
                        Elementwise.Activate(Activation.Sigmoid, s);
                        Elementwise.Activate(Activation.Tanh, t);
                        s[position].Should().Be(c.Sigmoid, "sigmoid({0}) at {1}, width {2}", c.Input, position, width);
                        t[position].Should().Be(c.Tanh, "tanh({0}) at {1}, width {2}", c.Input, position, width);
                        s.Count(v => v == 0.5f).Should().Be(c.Sigmoid == 0.5f ? n : n - 1, "the other lanes hold sigmoid(0)");
                        t.Count(v => v == 0f).Should().Be(c.Tanh == 0f ? n : n - 1, "the other lanes hold tanh(0)");
                    }
                }
            }
        }
    }

    [Fact]
    public void Tanh_is_accurate_and_odd_near_zero_and_across_its_series_switch()
    {
        // Dense grid over [−2, 2] (step 2^-10), plus the float neighbours of ±0.25 where the kernel switches
        // from the Taylor series to the exponential form, plus tiny values where tanh(x) = x.
        var inputs = new List<float>();
        for (int k = -2048; k <= 2048; k++)
        {
            inputs.Add(k / 1024f);
        }

        float below = 0.25f, above = 0.25f;
        for (int k = 0; k < 8; k++)
        {
            below = MathF.BitDecrement(below);
            above = MathF.BitIncrement(above);
            inputs.AddRange([below, above, -below, -above]);
        }

        inputs.AddRange([1e-3f, -1e-3f, 1e-8f, -1e-8f, 1e-20f, float.Epsilon, -float.Epsilon]);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                float[] t = inputs.ToArray();
                Elementwise.Activate(Activation.Tanh, t);
                AssertClose(inputs.Select(v => ElementwiseReference.Activate(Activation.Tanh, v, 0f)).ToArray(), t, TranscendentalAbs, TranscendentalRel, $"tanh grid width={width}");
                // Odd symmetry, exactly, for each element.
                float[] negated = inputs.Select(v => -v).ToArray();
                Elementwise.Activate(Activation.Tanh, negated);
                AssertExact(t.Select(v => -v).ToArray(), negated, $"tanh(−x) = −tanh(x) width={width}");

                float[] zeros = [0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f];
                Elementwise.Activate(Activation.Tanh, zeros);
                for (int i = 0; i < zeros.Length; i++)
                {
                    BitConverter.SingleToInt32Bits(zeros[i]).Should().Be(i % 2 == 0 ? 0 : int.MinValue, "tanh(±0) is ±0 exactly (lane {0}, width {1})", i, width);
                }

                float[] sig = inputs.ToArray();
                Elementwise.Activate(Activation.Sigmoid, sig);
                AssertClose(inputs.Select(v => ElementwiseReference.Activate(Activation.Sigmoid, v, 0f)).ToArray(), sig, TranscendentalAbs, TranscendentalRel, $"sigmoid grid width={width}");
            }
        }
    }

    [Fact]
    public void An_element_gets_the_same_result_wherever_it_sits_in_the_span()
    {
        // Vector lanes and tails must compute an element identically, bit for bit: a layer applied row by row
        // must equal one applied to the whole matrix, and both must equal the fused GEMM epilogue.
        var rng = new RandomSource(1009);
        float[] values = RandomValues(rng, 70, -6f, 6f);
        float[] bias = RandomValues(rng, 70, -1f, 1f);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in s_activations)
                {
                    float[] whole = (float[])values.Clone();
                    Elementwise.Activate(activation, whole, Slope);
                    var wholeBiased = new float[values.Length];
                    BiasActivateViaEpilogue(activation, values, bias, wholeBiased);
                    var addedThenActivated = new float[values.Length];
                    Elementwise.Add(values, bias, addedThenActivated);
                    Elementwise.Activate(activation, addedThenActivated, Slope);
                    AssertExact(wholeBiased, addedThenActivated, $"epilogue against add-then-activate, {activation} width={width}");
                    for (int start = 0; start < 20; start++)
                    {
                        for (int n = 1; start + n <= values.Length; n += 1 + (n / 4))
                        {
                            float[] part = values.AsSpan(start, n).ToArray();
                            Elementwise.Activate(activation, part, Slope);
                            AssertExact(whole.AsSpan(start, n), part, $"{activation} [{start}, {start + n}) width={width}");
                            var partBiased = new float[n];
                            BiasActivateViaEpilogue(activation, values.AsSpan(start, n), bias.AsSpan(start, n), partBiased);
                            AssertExact(wholeBiased.AsSpan(start, n), partBiased, $"bias+{activation} [{start}, {start + n}) width={width}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Activations_never_produce_NaN_for_finite_input()
    {
        // A sweep over the whole finite float range, sign and magnitude, including the edges of exp's range.
        var inputs = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 88.7f, -88.7f, 89f, -89f, 103.9f, -103.9f, 1e30f, -1e30f, float.MaxValue, -float.MaxValue };
        for (int e = -40; e <= 38; e++)
        {
            inputs.Add(MathF.Pow(10, e) * 1.7f);
            inputs.Add(-MathF.Pow(10, e) * 3.3f);
        }

        inputs.RemoveAll(v => !float.IsFinite(v));
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in s_activations)
                {
                    float[] x = inputs.ToArray();
                    float[] expected = x.Select(v => ElementwiseReference.Activate(activation, v, Slope)).ToArray();
                    Elementwise.Activate(activation, x, Slope);
                    x.Should().OnlyContain(v => float.IsFinite(v), "{0} at width {1}", activation, width);
                    AssertActivation(activation, expected, x, $"{activation} sweep width={width}");
                    if (activation is Activation.Sigmoid)
                    {
                        x.Should().OnlyContain(v => v >= 0f && v <= 1f);
                    }

                    if (activation is Activation.Tanh)
                    {
                        x.Should().OnlyContain(v => v >= -1f && v <= 1f);
                    }
                }
            }
        }
    }

    [Fact]
    public void ReLU_family_passes_NaN_and_infinities_through_like_the_reference()
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e4f, -1e4f];
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (Activation activation in new[] { Activation.ReLU, Activation.LeakyReLU })
                {
                    // Repeat so every special value lands in the vector body and in the tail.
                    float[] x = Enumerable.Range(0, 5).SelectMany(_ => special).ToArray();
                    float[] expected = x.Select(v => ElementwiseReference.Activate(activation, v, Slope)).ToArray();
                    Elementwise.Activate(activation, x, Slope);
                    AssertExact(expected, x, $"{activation} specials width={width}");
                    float.IsNaN(x[0]).Should().BeTrue("NaN propagates through {0}", activation);
                }
            }
        }
    }

    [Fact]
    public void Overlap_and_length_errors_are_ArgumentExceptions()
    {
        var a = new float[40];
        Span<float> head = a.AsSpan(0, 20);
        Span<float> shifted = a.AsSpan(1, 20);
        float[] other = new float[20];

        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SquareOp), a.AsSpan(0, 20), a.AsSpan(1, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SquareOp), a.AsSpan(0, 20), new float[19]));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SubtractOp), a.AsSpan(0, 20), other, a.AsSpan(3, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SubtractOp), other, a.AsSpan(0, 20), a.AsSpan(3, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SubtractOp), other, new float[21], new float[20]));
        Assert.Throws<ArgumentException>(() => Elementwise.Map(default(SubtractOp), other, other, new float[21]));
        Assert.Throws<ArgumentException>(() => Elementwise.Add(a.AsSpan(0, 20), other, a.AsSpan(10, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.Axpy(2f, a.AsSpan(0, 20), a.AsSpan(5, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.Axpy(2f, new float[3], new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Elementwise.Activate((Activation)99, other));

        // The overlapping pairs above really were partial overlaps; the in-place pairs are fine.
        head.Overlaps(shifted).Should().BeTrue();
        Elementwise.Map(default(SquareOp), head, head);
        Elementwise.Map(default(SubtractOp), head, head, head);
        head.ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void ActivationBackward_rejects_bad_spans(Activation activation)
    {
        var a = new float[40];
        float[] y = new float[20];
        float[] g = new float[20];

        // Partial overlap of the result with the upstream gradient or the output.
        Assert.Throws<ArgumentException>(() => Elementwise.ActivationBackward(activation, a.AsSpan(0, 20), y, a.AsSpan(1, 20)));
        Assert.Throws<ArgumentException>(() => Elementwise.ActivationBackward(activation, g, a.AsSpan(0, 20), a.AsSpan(7, 20)));

        // The result may never be the output: Backward must not change what Forward kept.
        Assert.Throws<ArgumentException>(() => Elementwise.ActivationBackward(activation, g, y, y));

        // Length mismatches.
        Assert.Throws<ArgumentException>(() => Elementwise.ActivationBackward(activation, g, new float[19], new float[20]));
        Assert.Throws<ArgumentException>(() => Elementwise.ActivationBackward(activation, g, y, new float[21]));
    }

    /// <summary>x² — a test op that goes straight through the unary engine.</summary>
    private readonly struct SquareOp : IUnaryOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TS, TV>(TV x)
            where TS : ISimd<TV>
            where TV : struct => TS.Multiply(x, x);
    }

    /// <summary>x − y — not commutative, so a swapped argument order in the binary engine shows.</summary>
    private readonly struct SubtractOp : IBinaryOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TS, TV>(TV x, TV y)
            where TS : ISimd<TV>
            where TV : struct => TS.Subtract(x, y);
    }
}

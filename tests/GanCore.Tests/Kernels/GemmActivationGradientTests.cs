using FluentAssertions;
using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The fused backward product C = f'(Y) ⊙ (A·Bᵀ) against the two passes it replaces (<see cref="Gemm.MultiplyTransposedB"/>
/// then <see cref="Elementwise.ActivationBackward"/>), bit for bit, at every width and on every path.
/// </summary>
public class GemmActivationGradientTests
{
    public static TheoryData<Activation> Activations() =>
        new() { Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Fused_gradient_equals_product_then_activation_backward_bitwise(Activation activation)
    {
        const float slope = 0.2f;

        // The GAN's shapes (64×1×128, 64×15×128, 64×128×15), every column tail, N = 1 (the dot route), K = 0, and K past
        // one KC block so the packed path finishes a first, a middle and a last block. 37×16×2 and 21×40×3: a few
        // columns that Auto sends to dot products at 512 bits (in place too: C = Y with K ≤ 16, where a block's
        // results are stored one block later and must not land on rows of Y still to be read). 6×37×20: a few rows, B
        // transposed in registers (GemmEngine.FewRows), 16 columns and then 4; at 256 bits 6×37×20, 13×9×10 and 37×20×14
        // transpose A instead (one vector of rows, two, and passes of 16 + 16 + 5 rows).
        int[][] shapes = [[64, 1, 128], [64, 15, 128], [64, 128, 15], [13, 7, 1], [5, 3, 17], [9, 33, 49], [1, 1, 1], [4, 0, 9], [30, 600, 40], [131, 70, 100], [13, 16, 33], [70, 2, 200],
            [37, 16, 2], [21, 40, 3], [6, 37, 20], [13, 9, 10], [37, 20, 14]];
        var rng = new Random(1 + (int)activation);
        foreach (int[] s in shapes)
        {
            (int m, int k, int n) = (s[0], s[1], s[2]);
            Matrix a = RandomMatrix(rng, m, k);
            Matrix b = RandomMatrix(rng, n, k);
            Matrix y = RandomMatrix(rng, m, n);
            if (activation is Activation.Sigmoid)
            {
                Apply(y, v => 1f / (1f + MathF.Exp(-v)));
            }
            else if (activation is Activation.Tanh)
            {
                Apply(y, MathF.Tanh);
            }
            else if (activation is Activation.ReLU)
            {
                Apply(y, v => MathF.Max(v, 0f)); // zeros as a ReLU makes them: the boundary case of the mask
            }

            float[] yBefore = y.Span.ToArray();
            foreach (VectorWidth w in GemmWidths.All())
            {
                foreach (GemmPath path in new[] { GemmPath.Auto, GemmPath.Direct, GemmPath.Packed, GemmPath.Stream, GemmPath.Dot })
                {
                    var product = new Matrix(m, n);
                    var expected = new Matrix(m, n);
                    var fused = new Matrix(m, n);
                    fused.Fill(float.NaN);
                    using (KernelDispatch.Cap(w))
                    using (GemmEngine.ForcePath(path))
                    {
                        Gemm.MultiplyTransposedB(a, b, product);
                        Elementwise.ActivationBackward(activation, product.Span, y.Span, expected.Span, slope);
                        Gemm.MultiplyTransposedBActivationGradient(a, b, fused, y, activation, slope);
                    }

                    for (int i = 0; i < fused.Span.Length; i++)
                    {
                        if (BitConverter.SingleToInt32Bits(fused.Span[i]) != BitConverter.SingleToInt32Bits(expected.Span[i]))
                        {
                            Assert.Fail($"{activation} {m}×{k}×{n} width={w} path={path}: element {i} is {fused.Span[i]:R}, the two passes give {expected.Span[i]:R}.");
                        }
                    }

                    if (k <= GemmStream.MaxRows)
                    {
                        // C written over Y itself (the GAN step's last backward pass over a forward pass): every element
                        // of Y must be read before its gradient replaces it.
                        var inPlace = new Matrix(m, n);
                        y.Span.CopyTo(inPlace.Span);
                        using (KernelDispatch.Cap(w))
                        using (GemmEngine.ForcePath(path))
                        {
                            Gemm.MultiplyTransposedBActivationGradient(a, b, inPlace, inPlace, activation, slope);
                        }

                        inPlace.Span.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Span.ToArray().Select(BitConverter.SingleToInt32Bits), $"{activation} {m}×{k}×{n} width={w} path={path} in place");
                    }

                    y.Span.ToArray().Should().Equal(yBefore, "backward must not change the activation's output");
                }
            }
        }
    }

    [Fact]
    public void Fused_gradient_checks_its_arguments()
    {
        var a = new Matrix(4, 3);
        var b = new Matrix(5, 3);
        var c = new Matrix(4, 5);
        Action act = () => Gemm.MultiplyTransposedBActivationGradient(a, b, c, new Matrix(4, 4), Activation.ReLU, 0f);
        act.Should().Throw<ArgumentException>().WithParameterName("activationOutput").WithMessage("*4×4*4×5*");
        act = () => Gemm.MultiplyTransposedBActivationGradient(a, b, c, new Matrix(4, 5, 8), Activation.ReLU, 0f);
        act.Should().Throw<ArgumentException>().WithParameterName("activationOutput").WithMessage("*stride 8*");
        act = () => Gemm.MultiplyTransposedBActivationGradient(a, new Matrix(5, 2), c, new Matrix(4, 5), Activation.ReLU, 0f);
        act.Should().Throw<ArgumentException>().WithParameterName("b");
        act = () => Gemm.MultiplyTransposedBActivationGradient(a, b, c, new Matrix(4, 5).Slice(0, 0, 4, 5), Activation.ReLU, 0f);
        act.Should().NotThrow("disjoint storage is always allowed");
        var shared = new Matrix(5, 5);
        act = () => Gemm.MultiplyTransposedBActivationGradient(a, b, shared.Slice(0, 0, 4, 5), shared.Slice(1, 0, 4, 5), Activation.ReLU, 0f);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*partly overlaps*");
        act = () => Gemm.MultiplyTransposedBActivationGradient(new Matrix(4, 17), new Matrix(5, 17), c, c, Activation.ReLU, 0f);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*K = 17*");
        act = () => Gemm.MultiplyTransposedBActivationGradient(a, b, c, new Matrix(4, 5), (Activation)99, 0f);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("activation");
    }

    private static Matrix RandomMatrix(Random rng, int rows, int columns)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < m.Span.Length; i++)
        {
            m.Span[i] = (float)(rng.NextDouble() * 4) - 2f;
        }

        return m;
    }

    private static void Apply(Matrix m, Func<float, float> f)
    {
        for (int i = 0; i < m.Span.Length; i++)
        {
            m.Span[i] = f(m.Span[i]);
        }
    }
}

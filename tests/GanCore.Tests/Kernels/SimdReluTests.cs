using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Tests.Kernels;

/// <summary>The GEMM's fused ReLU uses <c>ISimd.ReluOfArithmetic</c> (a compare and a blend at 512 bits), the ReLU layer
/// <c>Max(x, +0)</c>: for every value arithmetic can produce (anything but a signalling NaN) the bits must agree, or a
/// fused Dense + ReLU would differ from the two layers run apart.</summary>
public sealed class SimdReluTests
{
    [Fact]
    public void ReluOfArithmetic_gives_the_bits_of_Max_with_plus_zero_for_every_value_but_a_signalling_NaN()
    {
        SimdWidthsUnderTest.RunAll(default(ReluCheck));
    }

    [Fact]
    public void A_fused_Dense_plus_ReLU_gives_the_bits_of_the_product_then_the_ReLU_layer_with_NaNs_and_infinities()
    {
        // Every width, each route the shapes take (one output column: the dot route; 21: the direct loops with a column
        // tail; 130: two full tiles). Two NaNs never meet in one operation (which one an add returns follows the operand
        // order the JIT picks, not the ReLU): first a quiet NaN with a payload in a row of X, with ±∞ elsewhere in X and
        // in the bias; then one in a column of the bias, with X finite (±0 and subnormals included).
        var rng = new Random(77);
        int cases = 0;
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach (int n in new[] { 1, 21, 130 })
            {
                foreach (bool nanInBias in new[] { false, true })
                {
                    var x = new Matrix(37, 5);
                    var w = new Matrix(5, n);
                    var bias = new float[n];
                    for (int i = 0; i < x.Span.Length; i++)
                    {
                        x.Span[i] = rng.Next(6) == 0 ? Special(rng, infinities: !nanInBias) : (float)(rng.NextDouble() - 0.5);
                    }

                    for (int i = 0; i < w.Span.Length; i++)
                    {
                        w.Span[i] = (float)(rng.NextDouble() - 0.5);
                    }

                    for (int j = 0; j < n; j++)
                    {
                        bias[j] = rng.Next(4) == 0 ? Special(rng, infinities: !nanInBias) : (float)(rng.NextDouble() - 0.5);
                    }

                    if (nanInBias)
                    {
                        bias[n - 1] = BitConverter.Int32BitsToSingle(0x7FC54321);
                    }
                    else
                    {
                        x[3, 2] = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC12345u));
                    }

                    var fusedY = new Matrix(37, n);
                    var apart = new Matrix(37, n);
                    using (KernelDispatch.Cap(width))
                    {
                        Gemm.MultiplyBiasActivation(x, w, bias, fusedY, Activation.ReLU);
                        Gemm.MultiplyBiasActivation(x, w, bias, apart, Activation.Identity);
                        Elementwise.Activate(Activation.ReLU, apart.Span);
                    }

                    int[] fusedBits = fusedY.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
                    int[] apartBits = apart.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
                    fusedBits.Should().Equal(apartBits, "{0}, N = {1}, NaN in the {2}", width, n, nanInBias ? "bias" : "input");
                    apart.Span.ToArray().Should().Contain(float.NaN, "the NaN lanes are the point of the test");
                    cases++;
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 3 * 2);
    }

    /// <summary>±0, subnormals and (when asked) ±∞; never a NaN.</summary>
    private static float Special(Random rng, bool infinities) => rng.Next(infinities ? 3 : 2) switch
    {
        0 => rng.Next(2) == 0 ? 0f : -0f,
        1 => BitConverter.Int32BitsToSingle(rng.Next(1, 1 << 23) | (rng.Next(2) == 0 ? 0 : int.MinValue)),
        _ => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
    };

    private readonly unsafe struct ReluCheck : ISimdCheck
    {
        public void Run<TS, TV>(int seed)
            where TS : ISimd<TV>
            where TV : struct
        {
            var rng = new Random(seed);
            int w = TS.Count;
            float[] x = new float[w];
            float[] relu = new float[w];
            float[] max = new float[w];
            int specials = 0;
            for (int trial = 0; trial < 20_000; trial++)
            {
                for (int i = 0; i < w; i++)
                {
                    x[i] = Value(rng);
                    specials += x[i] == 0f || !float.IsFinite(x[i]) || float.IsSubnormal(x[i]) ? 1 : 0;
                }

                fixed (float* px = x, pr = relu, pm = max)
                {
                    TV v = TS.Load(ref *px, 0);
                    TS.Store(TS.ReluOfArithmetic(v), ref *pr, 0);
                    TS.Store(TS.Max(v, TS.Broadcast(0f)), ref *pm, 0);
                }

                for (int i = 0; i < w; i++)
                {
                    BitConverter.SingleToInt32Bits(relu[i]).Should().Be(BitConverter.SingleToInt32Bits(max[i]), "{0}, trial {1}, lane {2}: x = {3:R} (bits {4:X8})", typeof(TS).Name, trial, i, x[i], BitConverter.SingleToInt32Bits(x[i]));
                }
            }

            specials.Should().BeGreaterThan(1000, "±0, ±∞, subnormals and quiet NaNs are where a shorter ReLU could differ");
        }
    }

    /// <summary>Mixed magnitudes and signs, ±0, ±∞, subnormals and quiet NaNs with random payloads and signs.</summary>
    private static float Value(Random rng) => rng.Next(10) switch
    {
        0 => rng.Next(2) == 0 ? 0f : -0f,
        1 => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
        2 => BitConverter.Int32BitsToSingle(rng.Next(1, 1 << 23) | (rng.Next(2) == 0 ? 0 : int.MinValue)),
        3 => BitConverter.Int32BitsToSingle(unchecked((int)(0x7FC00000u | (uint)rng.Next(1 << 22) | (rng.Next(2) == 0 ? 0u : 0x80000000u)))),
        _ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-40, 41))),
    };
}

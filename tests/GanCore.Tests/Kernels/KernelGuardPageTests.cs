using System.Runtime.InteropServices;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The element-wise, optimizer and moving-average kernels and the fused GEMM entries (bias and activation, the
/// activation gradient, the streamed weight and bias gradients, the hidden-layer passes) read and write only inside
/// the spans they are given, at every length's vector tail and every vector width this process runs. Each buffer is
/// cut to the elements the call reaches and placed against an inaccessible page (<see cref="GuardedMemory"/>), first
/// ending at the page, then starting after one; the results must also be bitwise those of the same call on arrays.
/// </summary>
public class KernelGuardPageTests
{
    private static readonly Activation[] Activations = [Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh];

    /// <summary>Every tail of one to four vectors at every width, and a few longer runs.</summary>
    private static readonly int[] Lengths = [.. Enumerable.Range(0, 70), 127, 128, 129, 200];

    [GuardedMemoryFact]
    public void The_element_wise_kernels_stay_inside_their_spans()
    {
        foreach (VectorWidth width in KernelWidths.Available)
        {
            foreach (int n in Lengths)
            {
                var rng = new RandomSource((ulong)(n + (31 * (int)width)));
                float[] x = Values(rng, n);
                float[] y = Values(rng, n);
                float[] z = Values(rng, n);
                foreach (Activation activation in Activations)
                {
                    Agree($"Activate {activation}", width, [x], o => Elementwise.Activate(activation, o[0], 0.2f));
                    Agree($"ActivationBackward {activation}", width, [x, y, z], o => Elementwise.ActivationBackward(activation, o[0], o[1], o[2], 0.2f));
                }

                Agree("Axpy", width, [x, y], o => Elementwise.Axpy(0.75f, o[0], o[1]));
                Agree("Scale", width, [x], o => Elementwise.Scale(-1.5f, o[0]));
                Agree("Scale into", width, [x, y], o => Elementwise.Scale(-1.5f, o[0], o[1]));
                Agree("Clamp", width, [x], o => Elementwise.Clamp(o[0], -0.25f, 0.5f));
                Agree("Add", width, [x, y, z], o => Elementwise.Add(o[0], o[1], o[2]));
                Agree("Dot", width, [x, y, [0f]], o => o[2][0] = Elementwise.Dot(o[0], o[1]));
                Agree("SumOfSquares", width, [x, [0f]], o => o[1][0] = Elementwise.SumOfSquares(o[0]));
                Agree("AllFinite", width, [x, [0f]], o => o[1][0] = Elementwise.AllFinite(o[0]) ? 1f : 0f);
                Agree("MovingAverage", width, [x, y], o => MovingAverageKernels.Update(o[0], o[1], 0.9f));
                Agree("Adam", width, [x, y, z, Positive(rng, n)], o => OptimizerKernels.Adam(o[0], o[1], o[2], o[3], new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled: true, step: 7)));
                Agree("Sgd", width, [x, y, z], o => OptimizerKernels.Sgd(o[0], o[1], o[2], 0.01f, 0.9f, nesterov: true, weightDecay: 0.001f));
                Agree("RmsProp", width, [x, y, [.. Positive(rng, n), .. z, .. y]], o => OptimizerKernels.RmsProp(o[0], o[1], o[2], new RmsPropSettings(1e-3f, 0.99f, 1e-8f, 0.001f, 0.9f, Centered: true)));
            }

            // Column sums of a rows × columns block with row stride columns + gap, the span ending at the last row's end.
            foreach ((int rows, int columns, int gap) in new[] { (1, 1, 0), (3, 7, 2), (5, 17, 0), (9, 33, 1), (2, 64, 3), (4, 70, 0) })
            {
                var rng = new RandomSource((ulong)((rows * 100) + columns));
                int stride = columns + gap;
                float[] block = Values(rng, Used(rows, columns, stride));
                foreach (bool accumulate in new[] { false, true })
                {
                    Agree($"ColumnSums {rows}×{columns}", width, [block, Values(rng, columns)], o => Elementwise.ColumnSums(o[0], rows, columns, stride, o[1], accumulate));
                }
            }
        }
    }

    [GuardedMemoryFact]
    public void The_fused_products_stay_inside_their_spans()
    {
        // M × N × K with tails in every dimension; strides with and without gaps. 17×1×40, 37×2×64 and 21×5×128 take the
        // dot route (21×5×128 at 512 bits), whose blocks into a dense C (gap 0) read the bias and Y as whole vectors.
        // 12×18×64, 12×19×128 and 3×10×64 end in two or three columns of dot products past a vector (GemmEngine.DotTail:
        // 512 bits, and 256 for 3×10×64), their columns of B gathered from between the other columns' for A·B.
        (int M, int N, int K)[] shapes = [(1, 1, 1), (3, 7, 5), (7, 15, 3), (13, 17, 9), (16, 24, 15), (9, 33, 16), (33, 5, 40), (64, 15, 128), (20, 128, 5),
            (17, 1, 40), (37, 2, 64), (21, 5, 128), (12, 18, 64), (12, 19, 128), (3, 10, 64)];
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach ((int m, int n, int k) in shapes)
            {
                foreach (int gap in new[] { 0, 3 })
                {
                    var rng = new RandomSource((ulong)((m * 1000) + (n * 10) + k + gap));
                    int lda = k + gap, ldb = n + gap, ldbT = k + gap, ldc = n + gap;
                    float[] a = Values(rng, Used(m, k, lda));
                    float[] b = Values(rng, Used(k, n, ldb));
                    float[] bT = Values(rng, Used(n, k, ldbT));
                    float[] bias = Values(rng, n);
                    float[] c = Values(rng, Used(m, n, ldc));
                    float[] output = Values(rng, Used(m, n, ldc));
                    string shape = $"{m}×{n}×{k} gap {gap}";
                    foreach (Activation activation in Activations)
                    {
                        Agree($"RunBiasActivation {activation} {shape}", width, [a, b, bias, c],
                            o => GemmEngine.RunBiasActivation(m, n, k, o[0], lda, o[1], ldb, o[2], o[3], ldc, activation, 0.2f, width, threads: 1));
                        Agree($"RunActivationGradient A·Bᵀ {activation} {shape}", width, [a, bT, c, output],
                            o => GemmEngine.RunActivationGradient(m, n, k, o[0], lda, o[1], ldbT, transposeB: true, o[2], ldc, o[3], activation, 0.2f, width, threads: 1));
                        Agree($"RunActivationGradient A·B {activation} {shape}", width, [a, b, c, output],
                            o => GemmEngine.RunActivationGradient(m, n, k, o[0], lda, o[1], ldb, transposeB: false, o[2], ldc, o[3], activation, 0.2f, width, threads: 1));
                    }

                    // dW (m × n) += Xᵀ·dY and db += Σ dY with X k × m and dY k × n, on the streaming route it is forced onto (m ≤ 16, m ≤ n, n ≥ 2).
                    if (m <= n && m <= 16 && n >= 2)
                    {
                        float[] x = Values(rng, Used(k, m, m + gap));
                        float[] dy = Values(rng, Used(k, n, ldb));
                        using (GemmEngine.ForcePath(GemmPath.Stream))
                        {
                            Agree($"TryWeightAndBiasGradients {shape}", width, [x, dy, c, bias],
                                o => GemmEngine.TryWeightAndBiasGradients(m, n, k, o[0], m + gap, o[1], ldb, o[2], ldc, o[3], width, threads: 1).Should().BeTrue());
                        }
                    }
                }
            }

            HiddenLayer(width);
        }
    }

    /// <summary>The chunked passes of a two-layer block (batch × inputs → hidden → outputs), forced onto chunks of five
    /// rows (the last one partial for batches of 7 and 33).</summary>
    private static void HiddenLayer(VectorWidth width)
    {
        foreach ((int batch, int inputs, int hidden, int outputs) in new[] { (7, 3, 17, 1), (20, 5, 35, 15), (33, 15, 64, 16) })
        {
            var rng = new RandomSource((ulong)((batch * 100) + hidden));
            int gap = 1;
            int ldx = inputs + gap, lddy = outputs + gap, ldw1 = hidden + gap, ldw2 = outputs + gap, lddx = inputs + gap;
            float[] x = Values(rng, Used(batch, inputs, ldx));
            float[] dy = Values(rng, Used(batch, outputs, lddy));
            float[] w1 = Values(rng, Used(inputs, hidden, ldw1));
            float[] w2 = Values(rng, Used(hidden, outputs, ldw2));
            float[] b1 = Values(rng, hidden);
            float[] b2 = Values(rng, outputs);
            float[] h = Positive(rng, batch * hidden);
            float[] y = Values(rng, Used(batch, outputs, lddy));
            float[] dw1 = Values(rng, Used(inputs, hidden, ldw1));
            float[] dw2 = Values(rng, Used(hidden, outputs, ldw2));
            float[] dx = Values(rng, Used(batch, inputs, lddx));
            string shape = $"{batch}×{inputs}→{hidden}→{outputs}";
            GemmEngine.ForceHiddenChunk(5);
            try
            {
                foreach (Activation activation in Activations)
                {
                    Agree($"TryHiddenLayerForward {activation} {shape}", width, [x, w1, b1, h, w2, b2, y],
                        o => GemmEngine.TryHiddenLayerForward(batch, inputs, hidden, outputs, o[0], ldx, o[1], ldw1, o[2], o[3], o[4], ldw2, o[5], o[6], lddy, activation, 0.2f, Activation.Sigmoid, 0f, width, threads: 1).Should().BeTrue());
                    Agree($"TryHiddenLayerGradients {activation} {shape}", width, [x, dy, w2, h, dw1, b1, dw2],
                        o => GemmEngine.TryHiddenLayerGradients(batch, inputs, hidden, outputs, o[0], ldx, o[1], lddy, o[2], ldw2, o[3], o[4], ldw1, o[5], o[6], ldw2, activation, 0.2f, width, threads: 1).Should().BeTrue());
                    Agree($"TryHiddenLayerInputGradient {activation} {shape}", width, [dy, w2, h, w1, dx],
                        o => GemmEngine.TryHiddenLayerInputGradient(batch, inputs, hidden, outputs, o[0], lddy, o[1], ldw2, o[2], o[3], ldw1, o[4], lddx, activation, 0.2f, width, threads: 1).Should().BeTrue());
                }
            }
            finally
            {
                GemmEngine.ForceHiddenChunk(0);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/> on copies of <paramref name="initial"/> in arrays, then in guarded memory at
    /// each placement, and checks every buffer comes out with the same bits.</summary>
    private static void Agree(string what, VectorWidth width, float[][] initial, Action<Operands> call)
    {
        float[][] expected = Operands.Run(initial, null, width, call);
        foreach (GuardedMemory.Placement placement in new[] { GuardedMemory.Placement.AtEnd, GuardedMemory.Placement.AtStart })
        {
            float[][] got = Operands.Run(initial, placement, width, call);
            for (int i = 0; i < got.Length; i++)
            {
                if (!MemoryMarshal.Cast<float, int>(got[i]).SequenceEqual(MemoryMarshal.Cast<float, int>(expected[i])))
                {
                    Assert.Fail($"{what} at {width}, guarded {placement}: buffer {i} differs from the same call on arrays.");
                }
            }
        }
    }

    private static int Used(int rows, int columns, int stride) => (int)Matrix.RequiredLength(rows, columns, stride);

    private static float[] Values(RandomSource rng, int n) => ElementwiseTests.RandomValues(rng, n, -1f, 1f);

    private static float[] Positive(RandomSource rng, int n) => ElementwiseTests.RandomValues(rng, n, 0.01f, 1.01f);

    /// <summary>A call's buffers: arrays, or guarded copies at one placement.</summary>
    private sealed class Operands : IDisposable
    {
        private readonly float[][] _arrays;
        private readonly GuardedMemory[]? _guarded;

        private Operands(float[][] initial, GuardedMemory.Placement? placement)
        {
            _arrays = [.. initial.Select(v => (float[])v.Clone())];
            if (placement is { } p)
            {
                _guarded = [.. initial.Select(v => GuardedMemory.CopyOf(v, p))];
            }
        }

        public Span<float> this[int index] => _guarded is null ? _arrays[index] : _guarded[index].Span;

        public static float[][] Run(float[][] initial, GuardedMemory.Placement? placement, VectorWidth width, Action<Operands> call)
        {
            using var operands = new Operands(initial, placement);
            using (KernelDispatch.Cap(width))
            {
                call(operands);
            }

            return [.. Enumerable.Range(0, initial.Length).Select(i => operands[i].ToArray())];
        }

        public void Dispose()
        {
            foreach (GuardedMemory memory in _guarded ?? [])
            {
                memory.Dispose();
            }
        }
    }
}

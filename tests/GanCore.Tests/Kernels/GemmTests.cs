using System.Runtime.Intrinsics.X86;
using CsCheck;
using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Tests.Kernels;

/// <summary>Gemm against the double-accumulating reference: block boundaries, random shapes, views, empty shapes, the fused epilogue.</summary>
public class GemmTests
{
    private static readonly (bool TransposeA, bool TransposeB)[] Forms = [(false, false), (true, false), (false, true), (true, true)];

    public static TheoryData<int, int, int> BoundaryShapes()
    {
        // MR = 8 (4 below AVX-512), NR = 48 (3 vectors of 16) or 16/8/... at narrower widths. KC, MC and NC come from the
        // host's caches (on the Intel model-207 host KC 384 at 512 bits, 512 at 256 bits, 896 at 128 bits); the derivation
        // clamps KC to 1024, so K = 2113 gives a first, a middle and a last KC block on any host. GemmSkinnyTests forces a
        // tiny blocking to cross every block boundary everywhere.
        var data = new TheoryData<int, int, int>();
        int[][] shapes =
        [
            [64, 64, 64], [65, 65, 65], [127, 129, 128], [128, 128, 128], [129, 127, 129],
            [255, 17, 257], [257, 255, 31], [7, 47, 255], [9, 49, 256], [8, 48, 257],
            [143, 33, 20], [144, 16, 9], [145, 50, 3], [3, 3073, 5], [17, 33, 2113], [1, 300, 300], [300, 1, 300],
            [39, 200, 6], [38, 130, 16], [50, 15, 1024],
        ];
        foreach (int[] s in shapes)
        {
            data.Add(s[0], s[1], s[2]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BoundaryShapes))]
    public void Block_boundary_shapes_match_the_reference_in_every_form_width_and_path(int m, int n, int k)
    {
        foreach ((bool ta, bool tb) in Forms)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                int seed = (m * 1000) + (n * 10) + k + (accumulate ? 1 : 0);
                var test = new GemmCase(ta, tb, m, n, k, accumulate, padA: seed % 2, padB: (seed / 2) % 3, padC: (seed / 3) % 2, seed);
                foreach (VectorWidth w in GemmWidths.All())
                {
                    test.Verify(w, GemmPath.Auto);
                    test.Verify(w, GemmPath.Packed);
                }
            }
        }
    }

    [Theory]
    [InlineData(64, 128, 5)]
    [InlineData(64, 15, 128)]
    [InlineData(64, 128, 15)]
    [InlineData(64, 1, 128)]
    public void The_GAN_shapes_match_the_reference(int m, int n, int k)
    {
        foreach ((bool ta, bool tb) in Forms)
        {
            var test = new GemmCase(ta, tb, m, n, k, accumulate: ta, padA: 0, padB: 0, padC: 0, seed: m + n + k);
            foreach (VectorWidth w in GemmWidths.All())
            {
                test.Verify(w, GemmPath.Auto);
            }
        }
    }

    [Fact]
    public void Random_shapes_strides_and_forms_match_the_reference()
    {
        VectorWidth[] widths = GemmWidths.All().ToArray();
        Gen.Select(Gen.Int[0, 70], Gen.Int[0, 70], Gen.Int[0, 90], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 5], Gen.Int[0, 5])
            .Select(Gen.Int[0, widths.Length - 1], Gen.Int[0, 2], Gen.Int, (t, w, path, seed) => (t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8, w, path, seed))
            .Sample(
                x =>
                {
                    (int m, int n, int k, int form, bool accumulate, int padA, int padB, int padC, int w, int path, int seed) = x;
                    var test = new GemmCase((form & 1) != 0, (form & 2) != 0, m, n, k, accumulate, padA, padB, padC, seed);
                    test.Verify(widths[w], (GemmPath)path);
                },
                iter: 400,
                threads: 1);
    }

    [Fact]
    public void A_one_vector_wide_C_with_rows_left_past_its_12_or_16_row_tiles_matches_the_reference()
    {
        // GemmEngine.Rows: with C one vector wide the direct loops take 12-row tiles below 512 bits, and when 1–4 rows
        // would be left the last 12 + r run as 8 and 4 + r instead (13 → 8 + 5, 16 → 8 + 8, 27 → 12 + 8 + 7); 17–20, 24 and
        // 36 (remainders 5–8 and 0) keep the old grouping; 9–11 rows, alone or past 12-row tiles (21–23, 33–35), run as one
        // 9–11-row kernel (K9x1 … K11x1). At 512 bits the tiles are 16 rows (GemmEngine.OneVectorRows16): 5–12 rows left
        // are one kernel (5–7, 21–28, 37), 13–15 two (13–15, 29–31, 45–47), and 1–4 past a 16-row tile take it back and
        // run as two of 8–10 (17–20, 33–36, 49, 65); 16, 32, 48, 64 and 80 are whole tiles, 1–4 rows alone one kernel. A row
        // skipped or computed twice (accumulate adds it again) shows against the reference. Row strides of 20–40 floats
        // keep OneVectorRows at its largest.
        foreach ((bool ta, bool tb) in Forms)
        {
            foreach (int m in new[] { 3, 5, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 40, 45, 47, 48, 49, 61, 64, 65, 80 })
            {
                foreach (int n in new[] { 2, 7, 15, 16 })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        var test = new GemmCase(ta, tb, m, n, 23, accumulate, padA: 1, padB: 2, padC: 1, seed: (m * 100) + n + (accumulate ? 7 : 0));
                        foreach (VectorWidth w in GemmWidths.All())
                        {
                            test.Verify(w, GemmPath.Direct);
                            test.Verify(w, GemmPath.Auto);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void A_C_whose_three_vector_strips_would_leave_one_vector_matches_the_reference()
    {
        // GemmEngine.Row: with three-vector tiles (512 bits), a C of 3q + 1 vectors runs its last four as two strips of
        // two (4 vectors: 49, 57, 63 and 64, the last vector of 1, 9, 15 and 16 columns; 7: 100 and 112; 10: 160); 48
        // (three whole vectors) and 80 (five) bracket it. Where 512-bit vectors run in two halves, 49 and 100 (a last
        // vector of at most eight columns) keep 3 + 1 with the 256-bit tail kernel; Auto takes N = 49's last column as a
        // dot tail. A column skipped or computed twice (accumulate adds it again) shows against the reference, at every
        // width the host has, on the direct loops and Auto.
        foreach ((bool ta, bool tb) in Forms)
        {
            foreach (int n in new[] { 48, 49, 57, 63, 64, 80, 100, 112, 160 })
            {
                foreach ((int m, int k) in new[] { (3, 5), (8, 37), (13, 9), (64, 5) })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        var test = new GemmCase(ta, tb, m, n, k, accumulate, padA: 1, padB: 2, padC: 3, seed: (m * 1000) + n + (accumulate ? 7 : 0));
                        foreach (VectorWidth w in GemmWidths.All())
                        {
                            test.Verify(w, GemmPath.Direct);
                            test.Verify(w, GemmPath.Auto);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Direct_and_packed_loops_give_an_element_the_same_bits_at_every_vector_width()
    {
        // Every element is one FMA chain over k, in order, at any width, so the widths agree bit for bit. The direct and
        // packed loops rely on it when they hand the last few columns past the widest tiles to a narrower vector (at most
        // eight columns past a 512-bit tile go to a 256-bit one): N = 16q + r for r = 1..8 takes that branch at 512 bits.
        // Auto with M = 40 takes the column tiles for Aᵀ·B with 8–24 columns at 512 bits (vectors down the rows of C) and
        // the transposed product or the direct loops at the other widths. A C of at most eight columns that would take
        // the direct loops runs at 256 bits on a 512-bit host (Aᵀ·B 40×37×5: the 256-bit transposed product; M = 64 is
        // where the 512-bit one takes over).
        // Needs two vector widths with fused multiply-adds; the CI leg that runs 128 bits only has nothing to compare.
        VectorWidth[] widths = GemmWidths.All().Where(w => w != VectorWidth.Scalar).ToArray();
        if (widths.Length < 2)
        {
            return;
        }

        foreach ((bool ta, bool tb) in Forms)
        {
            foreach (int n in new[] { 1, 5, 8, 9, 17, 20, 24, 25, 33, 40, 49, 56, 57, 100 })
            {
                foreach ((int m, int k) in new[] { (13, 37), (40, 37), (64, 37), (8, 5), (1, 64) })
                {
                    var test = new GemmCase(ta, tb, m, n, k, accumulate: ta && !tb, padA: 1, padB: 3, padC: 2, seed: (m * 1000) + (n * 10) + k);
                    // Auto sends N = 1, and a few columns against a long K, to one dot product per element, summed across the
                    // lanes of a vector: its bits depend on the width. So are the last N mod W columns where a dot product
                    // pays for that many (GemmEngine.DotTail).
                    bool dot = !ta && (n == 1 || widths.Any(w => (tb ? GemmEngine.DotPaysInPlace(n, k, (int)w / 32) : GemmEngine.DotPays(n, k, (int)w / 32)) || GemmEngine.DotTail(n, k, 1, columnsInPlace: tb, (int)w / 32) > 0));
                    foreach (GemmPath path in dot ? new[] { GemmPath.Direct, GemmPath.Packed } : new[] { GemmPath.Direct, GemmPath.Packed, GemmPath.Auto })
                    {
                        test.Verify(widths[0], path);
                        int[] widest = test.Result.Select(BitConverter.SingleToInt32Bits).ToArray();
                        foreach (VectorWidth w in widths.Skip(1))
                        {
                            test.Verify(w, path);
                            int[] bits = test.Result.Select(BitConverter.SingleToInt32Bits).ToArray();
                            for (int idx = 0; idx < bits.Length; idx++)
                            {
                                if (bits[idx] != widest[idx])
                                {
                                    Assert.Fail($"{test} path={path}: element {idx} is {test.Result[idx]} at {w} and {BitConverter.Int32BitsToSingle(widest[idx])} at {widths[0]}.");
                                }
                            }

                        }
                    }
                }
            }
        }

    }

    [Fact]
    public void Empty_shapes_zero_fill_or_keep_C()
    {
        foreach ((bool ta, bool tb) in Forms)
        {
            foreach ((int m, int n, int k) in new[] { (0, 5, 3), (5, 0, 3), (5, 7, 0), (0, 0, 0), (33, 65, 0) })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var test = new GemmCase(ta, tb, m, n, k, accumulate, padA: 1, padB: 2, padC: 1, seed: m + n + k);
                    foreach (VectorWidth w in GemmWidths.All())
                    {
                        test.Verify(w, GemmPath.Auto);
                        test.Verify(w, GemmPath.Packed);
                    }
                }
            }
        }
    }

    [Fact]
    public void K_zero_overwrite_writes_zeros_and_accumulate_leaves_C()
    {
        var a = new Matrix(4, 0);
        var b = new Matrix(0, 5);
        var c = new Matrix(4, 5);
        c.Fill(3f);
        Gemm.Multiply(a, b, c, accumulate: true);
        c.Span.ToArray().Should().OnlyContain(v => v == 3f);
        Gemm.Multiply(a, b, c);
        c.Span.ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void Strided_views_multiply_like_copies()
    {
        var rng = new Random(5);
        var bigA = new Matrix(50, 60);
        var bigB = new Matrix(70, 80);
        var bigC = new Matrix(40, 90);
        foreach (Matrix mat in new[] { bigA, bigB, bigC })
        {
            for (int i = 0; i < mat.Rows; i++)
            {
                for (int j = 0; j < mat.Columns; j++)
                {
                    mat[i, j] = (float)rng.NextDouble() - 0.5f;
                }
            }
        }

        foreach ((bool ta, bool tb) in Forms)
        {
            (int m, int k, int n) = (33, 21, 45);
            Matrix a = ta ? bigA.Slice(3, 5, k, m) : bigA.Slice(3, 5, m, k);
            Matrix b = tb ? bigB.Slice(2, 7, n, k) : bigB.Slice(2, 7, k, n);
            Matrix c = bigC.Slice(1, 4, m, n);
            var expected = new Matrix(m, n);
            c.CopyTo(expected);
            Matrix ca = Copy(a);
            Matrix cb = Copy(b);
            GemmReference.Compute(ta, tb, m, n, k, ca.Span, ca.Stride, cb.Span, cb.Stride, expected.Span, expected.Stride, accumulate: true);
            float[,] before = bigC.ToArray();
            foreach (VectorWidth w in GemmWidths.All())
            {
                float[,] snapshot = (float[,])before.Clone();
                Restore(bigC, snapshot);
                using (KernelDispatch.Cap(w))
                {
                    switch ((ta, tb))
                    {
                        case (false, false):
                            Gemm.Multiply(a, b, c, accumulate: true);
                            break;
                        case (true, false):
                            Gemm.MultiplyTransposedA(a, b, c, accumulate: true);
                            break;
                        case (false, true):
                            Gemm.MultiplyTransposedB(a, b, c, accumulate: true);
                            break;
                        default:
                            Gemm.Compute(true, true, m, n, k, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride, accumulate: true);
                            break;
                    }
                }

                float[,] after = bigC.ToArray();
                for (int i = 0; i < bigC.Rows; i++)
                {
                    for (int j = 0; j < bigC.Columns; j++)
                    {
                        bool inside = i >= 1 && i < 1 + m && j >= 4 && j < 4 + n;
                        if (inside)
                        {
                            after[i, j].Should().BeApproximately(expected[i - 1, j - 4], 1e-4f, "{0} at {1}", (ta, tb), w);
                        }
                        else
                        {
                            after[i, j].Should().Be(before[i, j], "elements outside the view must not change");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void Fused_bias_activation_matches_reference_gemm_then_activation(Activation activation)
    {
        // 300×7×1000: a C beyond a quarter of L2 on every host so far, which the direct loops write row block by row block.
        const float slope = 0.2f;
        // 50×300×3, 13×100×8, 7×70×16: a few columns against a long K, the dot-product route (per-column bias).
        // 64×40×6, 13×100×8: at most eight columns in the direct loops, which Auto runs at 256 bits on a 512-bit host.
        int[][] shapes = [[64, 5, 128], [64, 128, 15], [64, 15, 128], [64, 128, 1], [1, 1, 1], [3, 0, 17], [9, 33, 49], [130, 300, 70], [20, 600, 50], [300, 7, 1000],
            [50, 300, 3], [13, 100, 8], [7, 70, 16], [64, 40, 6]];
        var rng = new Random((int)activation);
        foreach (int[] s in shapes)
        {
            (int m, int k, int n) = (s[0], s[1], s[2]);
            Matrix a = RandomMatrix(rng, m, k, 2f);
            Matrix b = RandomMatrix(rng, k, n, 2f);
            float[] bias = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2) - 1).ToArray();
            var product = new float[m * n];
            GemmReference.Compute(false, false, m, n, k, a.Span, a.Stride, b.Span, b.Stride, product, n, accumulate: false);
            var scale = new double[m * n];
            GemmReference.AbsoluteProducts(false, false, m, n, k, a.Span, a.Stride, b.Span, b.Stride, scale);
            foreach (VectorWidth w in GemmWidths.All())
            {
                foreach (GemmPath path in new[] { GemmPath.Auto, GemmPath.Direct, GemmPath.Packed, GemmPath.Dot })
                {
                    var c = new Matrix(m, n);
                    c.Fill(float.NaN);
                    using (KernelDispatch.Cap(w))
                    using (GemmEngine.ForcePath(path))
                    {
                        Gemm.MultiplyBiasActivation(a, b, bias, c, activation, slope);
                    }

                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            float expected = ElementwiseReference.Activate(activation, product[(i * n) + j] + bias[j], slope);
                            double bound = GemmTolerance.Bound(k, scale[(i * n) + j] + Math.Abs(bias[j])) + GemmTolerance.ActivationAbsolute + (4 * GemmTolerance.Epsilon * Math.Abs(expected));
                            double error = Math.Abs(c[i, j] - (double)expected);
                            if (!(error <= bound))
                            {
                                Assert.Fail($"{activation} {m}×{k}×{n} width={w} path={path}: C[{i}, {j}] = {c[i, j]}, expected {expected} (error {error:E3} > {bound:E3}).");
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Large_products_agree_with_MathNet()
    {
        var rng = new Random(11);
        foreach ((bool ta, bool tb, int m, int k, int n) in new[] { (false, false, 300, 260, 280), (true, false, 200, 300, 150), (false, true, 257, 129, 300) })
        {
            var ma = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(ta ? k : m, ta ? m : k, (_, _) => (float)rng.NextDouble() - 0.5f);
            var mb = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(tb ? n : k, tb ? k : n, (_, _) => (float)rng.NextDouble() - 0.5f);
            var expected = (ta ? ma.Transpose() : ma) * (tb ? mb.Transpose() : mb);
            Matrix a = Matrix.FromArray(ma.ToArray());
            Matrix b = Matrix.FromArray(mb.ToArray());
            var c = new Matrix(m, n);
            Gemm.Compute(ta, tb, m, n, k, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[i, j].Should().BeApproximately(expected[i, j], 2e-4f);
                }
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_argument_named()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[12];
        Action act;

        act = () => Gemm.Compute(false, false, -1, 3, 4, a, 4, b, 3, c, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("m");
        act = () => Gemm.Compute(false, false, 3, -1, 4, a, 4, b, 3, c, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("n");
        act = () => Gemm.Compute(false, false, 3, 3, -4, a, 4, b, 3, c, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        act = () => Gemm.Compute(false, false, 3, 3, 4, a, 3, b, 3, c, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lda").WithMessage("*3*4*");
        act = () => Gemm.Compute(false, false, 3, 3, 4, a, 4, b, 2, c, 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ldb");
        act = () => Gemm.Compute(false, false, 3, 3, 4, a, 4, b, 3, c, 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ldc");
        act = () => Gemm.Compute(false, false, 4, 3, 4, a, 4, b, 3, c, 3);
        act.Should().Throw<ArgumentException>().WithParameterName("a").WithMessage("*12*16*");
        act = () => Gemm.Compute(false, false, 3, 3, 5, new float[15], 5, b, 3, c, 3);
        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*12*15*");
        act = () => Gemm.Compute(false, false, 3, 5, 4, a, 4, new float[20], 5, c, 5);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*12*15*");
        act = () => Gemm.Compute(true, false, 3, 3, 5, a, 3, new float[15], 3, c, 3);
        act.Should().Throw<ArgumentException>().WithParameterName("a");
        act = () => Gemm.Compute(false, true, 3, 3, 5, new float[15], 5, b, 5, c, 3);
        act.Should().Throw<ArgumentException>().WithParameterName("b");

        var shared = new float[64];
        act = () => Gemm.Compute(false, false, 3, 3, 3, shared.AsSpan(0, 9), 3, b, 3, shared.AsSpan(8, 9), 3);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*overlaps A*");
        act = () => Gemm.Compute(false, false, 3, 3, 3, a, 3, shared.AsSpan(0, 9), 3, shared.AsSpan(4, 9), 3);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*overlaps B*");

        var ma = new Matrix(3, 4);
        var mb = new Matrix(5, 2);
        var mc = new Matrix(3, 2);
        act = () => Gemm.Multiply(ma, mb, mc);
        act.Should().Throw<ArgumentException>().WithParameterName("b").WithMessage("*3×4*5×2*");
        act = () => Gemm.Multiply(ma, new Matrix(4, 2), new Matrix(2, 2));
        act.Should().Throw<ArgumentException>().WithParameterName("c");
        act = () => Gemm.MultiplyTransposedA(ma, mb, mc);
        act.Should().Throw<ArgumentException>().WithParameterName("b");
        act = () => Gemm.MultiplyTransposedB(ma, mb, mc);
        act.Should().Throw<ArgumentException>().WithParameterName("b");
        act = () => Gemm.Multiply(null!, mb, mc);
        act.Should().Throw<ArgumentNullException>().WithParameterName("a");
        act = () => Gemm.MultiplyBiasActivation(ma, new Matrix(4, 2), new float[3], mc, Activation.ReLU);
        act.Should().Throw<ArgumentException>().WithParameterName("bias").WithMessage("*3*2*");
        act = () => Gemm.MultiplyBiasActivation(ma, new Matrix(4, 2), new float[2], mc, (Activation)99);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("activation");
        var cb = new Matrix(3, 2);
        act = () => Gemm.MultiplyBiasActivation(ma, new Matrix(4, 2), cb.Span[..2], cb, Activation.ReLU);
        act.Should().Throw<ArgumentException>().WithParameterName("c").WithMessage("*bias*");
        act = () => Gemm.MaxDegreeOfParallelism = 0;
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    public void A_block_of_rows_gets_the_same_bits_whichever_call_computes_it(bool transposeA, bool transposeB, bool accumulate)
    {
        // The direct loops hand a kernel every full block of rows in one call (GemmMicroKernels' blocks argument). A
        // product cut into slices of 1–13 rows, each its own call (one block or a row tail), must match it bit for bit:
        // wrong block strides, a missed block or a block computed twice would show here.
        // N = 1 runs the dot-product route (Auto), where 8-row blocks finish with ISimd.SumEight and the rest with Sum.
        // C narrower than one vector with at least 32 rows (N = 2…15 at 512 bits, 2…7 at 256) runs on a copy of op(B)
        // padded to whole vectors (GemmEngine.PadsB); slices of at most 13 rows run unpadded. At 128 bits without a masked
        // load in hardware (CI's leg with AVX off, Arm64) any N that is not a multiple of 4 pads from two blocks of rows
        // (GemmEngine.PadsToWholeVectors: 12 rows on x64, 24 for N < 4): slices of up to 11 rows run unpadded.
        int[][] shapes = [[64, 128, 5], [61, 130, 7], [100, 15, 9], [37, 48, 3], [29, 200, 16], [97, 3, 40], [70, 1, 130], [45, 1, 33], [64, 1, 128],
            [40, 2, 17], [33, 6, 50], [64, 11, 128], [48, 14, 20], [64, 15, 128], [50, 15, 1024]];
        var rng = new Random(20261201 + (transposeA ? 1 : 0) + (transposeB ? 2 : 0) + (accumulate ? 4 : 0));
        foreach (int[] s in shapes)
        {
            (int m, int n, int k) = (s[0], s[1], s[2]);
            (float[] a, int aCols, float[] b, int bCols, float[] c0) = RandomOperands(transposeA, transposeB, m, n, k, rng);
            foreach (VectorWidth w in GemmWidths.All())
            {
                // The dot products too where op(A)'s rows are contiguous and C is at most one vector wide: 4-row blocks
                // and a row tail of 1–3 single rows.
                GemmPath[] paths = n == 1 ? [GemmPath.Auto] : !transposeA && n <= (int)w / 32 ? [GemmPath.Direct, GemmPath.Dot] : [GemmPath.Direct];
                foreach (GemmPath path in paths)
                {
                    using (GemmEngine.ForcePath(path))
                    {
                        WholeAgainstSlices(transposeA, transposeB, m, n, k, a, aCols, b, bCols, c0, accumulate, w, rng);
                    }
                }
            }
        }
    }

    [Fact]
    public unsafe void Deinterleaving_two_to_four_columns_copies_exactly_what_the_plain_transpose_copies()
    {
        // GemmEngine.TryDeinterleave (the dot route's copy of a dense A·B operand's columns) against GemmEngine.Transpose,
        // at every K from 1 to 50: blocks of 16 rows and every tail. Other column counts, and hosts without AVX-512, fall back.
        var rng = new Random(7);
        for (int n = 1; n <= 5; n++)
        {
            for (int k = 1; k <= 50; k++)
            {
                float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                var expected = new float[n * k];
                var actual = Enumerable.Repeat(float.NaN, n * k).ToArray();
                bool copied;
                fixed (float* pb = b, pe = expected, pa = actual)
                {
                    GemmEngine.Transpose(pb, 1, n, n, k, pe); // op(B) = the N×K transpose of b, rows of op(B) = columns of b
                    copied = GemmEngine.TryDeinterleave(pb, k, n, pa);
                }

                // Where the host has no AVX-512 (or a switch turns it off) only the decline is checked.
                bool expectCopy = KernelDispatch.Runs512 && n is 2 or 3 or 4;
                copied.Should().Be(expectCopy, $"N = {n}");
                if (copied)
                {
                    actual.Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits), $"K = {k}, N = {n}");
                }
                else
                {
                    actual.Should().OnlyContain(x => float.IsNaN(x), $"nothing is written when it declines (K = {k}, N = {n})");
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_dot_product_gets_the_same_bits_whatever_columns_share_its_call(bool transposeB)
    {
        // The dot-product route takes four rows against five, four, three, two or (an odd last column, paired with itself)
        // one column at a time (at 512 bits N = 4q + 3 ends in a triple, N = 4q + 5 in a five: 3, 5, 7, 9, 11,
        // 13 below), and N = 1 eight rows at a time; every element is one FMA chain over k and one horizontal sum, so
        // each column computed alone (N = 1) must give the bits it got among all N. A block reduced in the wrong lane
        // order or a column's sums stored in a neighbour's lane would show here (a pair's copy stored into lane N would
        // land past the row; the guard-page test, with odd N on this route, catches that).
        // The last M mod 4 rows (M ≥ 4) are computed again as the last four rows and only they are stored: the accumulate
        // pass below would add an overlapping row twice. A·B with N = 2, 3 or 4 copies op(B)'s columns by permutes
        // (GemmEngine.TryDeinterleave), 16 rows at a time and a tail (K = 37, 47).
        int[][] shapes = [[13, 37, 7], [9, 100, 16], [6, 33, 3], [17, 64, 5], [8, 16, 2], [11, 49, 12], [5, 1, 4], [10, 40, 9], [7, 19, 11], [12, 70, 13], [6, 37, 4], [9, 47, 2], [3, 40, 4], [6, 37, 5]];
        var rng = new Random(20261202 + (transposeB ? 1 : 0));
        foreach (int[] s in shapes)
        {
            (int m, int k, int n) = (s[0], s[1], s[2]);
            (float[] a, int aCols, float[] b, int bCols, float[] c0) = RandomOperands(false, transposeB, m, n, k, rng);
            foreach (VectorWidth w in GemmWidths.All().Where(w => n <= (int)w / 32))
            {
                var whole = new float[m * n];
                var column = new float[m];
                using (KernelDispatch.Cap(w))
                using (GemmEngine.ForcePath(GemmPath.Dot))
                {
                    Gemm.Compute(false, transposeB, m, n, k, a, aCols, b, bCols, whole, n, accumulate: false);
                    float[] sum = (float[])c0.Clone();
                    Gemm.Compute(false, transposeB, m, n, k, a, aCols, b, bCols, sum, n, accumulate: true);
                    for (int e = 0; e < m * n; e++)
                    {
                        if (BitConverter.SingleToInt32Bits(sum[e]) != BitConverter.SingleToInt32Bits(c0[e] + whole[e]))
                        {
                            Assert.Fail($"{m}×{k}×{n} transposeB={transposeB} width={w}: C[{e / n}, {e % n}] += A·B gave {sum[e]:R}, not {c0[e]:R} + {whole[e]:R}.");
                        }
                    }

                    for (int j = 0; j < n; j++)
                    {
                        // Column j of op(B): a row of B (A·Bᵀ), or a column of B, rows bCols apart (A·B).
                        ReadOnlySpan<float> bj = transposeB ? b.AsSpan(j * bCols, k) : b.AsSpan(j);
                        Gemm.Compute(false, transposeB, m, 1, k, a, aCols, bj, bCols, column, 1, accumulate: false);
                        for (int i = 0; i < m; i++)
                        {
                            if (BitConverter.SingleToInt32Bits(column[i]) != BitConverter.SingleToInt32Bits(whole[(i * n) + j]))
                            {
                                Assert.Fail($"{m}×{k}×{n} transposeB={transposeB} width={w}: C[{i}, {j}] is {whole[(i * n) + j]:R} among {n} columns, {column[i]:R} alone.");
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Small_products_that_skip_the_route_decisions_get_the_bits_the_decisions_give()
    {
        // GemmEngine.SmallDirect sends a small A·B or Aᵀ·B straight to the direct loops, past Execute's route and width
        // choices. It must pick only products Execute would run there: any other (a dot route, a dot tail) sums some
        // element in another order, and the column tiles of a narrow Aᵀ·B would be faster (the named shapes below). So every shape below, through every epilogue, equals the same call with the entry off
        // (GemmEngine.TurnOffSmallEntry), bitwise. The bits cannot tell the widths apart (each element is the same
        // chain at any width), so the entry's record of the width it ran (GemmEngine.TakeSmallEntryLanes) must be the
        // one SmallDirect gives, and the named shapes below must get the width Execute would use. A product with K = 1
        // and at least a vector of columns takes the outer products' entry instead (GemmEngine.TakesRankOne), at the
        // dispatch width, with the same bits.
        using (GemmEngine.TurnOffSmallEntry())
        {
            // Sets the process's forced flag, under which the entry records its width.
        }

        var rng = new Random(20261203);
        int taken = 0;
        int takenTransposed = 0;
        int cases = 0;
        foreach (VectorWidth w in GemmWidths.All())
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (int m in new[] { 1, 2, 3, 7, 8, 9, 16, 31, 32 })
                {
                    foreach (int n in new[] { 2, 3, 5, 8, 9, 15, 16, 17, 19, 24, 33, 40 })
                    {
                        foreach (int k in new[] { 1, 4, 15, 16, 40, 64, 128 })
                        {
                            // Aᵀ·B: A stored K × M, its rows lda apart (a weight gradient Xᵀ·dY).
                            (int lda, int ldb, int ldc) = (transposeA ? m + 1 : k + 1, n + 2, n + 3);
                            float[] a = RandomMatrix(rng, transposeA ? k : m, lda, 2f).Span.ToArray();
                            float[] b = RandomMatrix(rng, k, ldb, 2f).Span.ToArray();
                            float[] c0 = RandomMatrix(rng, m, ldc, 2f).Span.ToArray();
                            float[] bias = RandomMatrix(rng, 1, n, 2f).Span.ToArray();
                            var o = new GemmOperands { RsA = transposeA ? 1 : lda, CsA = transposeA ? lda : 1, RsB = ldb, CsB = 1, Ldc = ldc, M = m, N = n, K = k };
                            // K = 1 with a vector of columns or more: the outer products' entry (GemmEngine.RankOne).
                            int predicted = GemmEngine.TakesRankOne(o, Gemm.MaxDegreeOfParallelism, w) ? w.Floats() : GemmEngine.SmallDirect(o, w);
                            bool small = predicted > 0;
                            string form = transposeA ? "Aᵀ·B" : "A·B";
                            foreach (int epilogue in transposeA ? new[] { 0, 1 } : new[] { 0, 1, 2 })
                            {
                                float[] Run(bool entryOff)
                                {
                                    float[] c = (float[])c0.Clone();
                                    using (KernelDispatch.Cap(w))
                                    using (entryOff ? GemmEngine.TurnOffSmallEntry() : default(GemmEngine.SmallEntryScope?))
                                    {
                                        if (epilogue == 2)
                                        {
                                            var ma = Matrix.FromRows(m, lda, a).Slice(0, 0, m, k);
                                            var mb = Matrix.FromRows(k, ldb, b).Slice(0, 0, k, n);
                                            var mc = Matrix.FromRows(m, ldc, c).Slice(0, 0, m, n);
                                            Gemm.MultiplyBiasActivation(ma, mb, bias, mc, Activation.Tanh);
                                            return mc.Span.ToArray();
                                        }

                                        Gemm.Compute(transposeA, false, m, n, k, a, lda, b, ldb, c, ldc, accumulate: epilogue == 1);
                                    }

                                    return c;
                                }

                                GemmEngine.TakeSmallEntryLanes();
                                float[] entry = Run(entryOff: false);
                                int lanes = GemmEngine.TakeSmallEntryLanes();
                                lanes.Should().Be(predicted, $"{form} {m}×{k}×{n} at {w}, epilogue {epilogue}: the width the entry ran");
                                float[] decided = Run(entryOff: true);
                                GemmEngine.TakeSmallEntryLanes().Should().Be(0, "the entry is off");
                                entry.Select(BitConverter.SingleToInt32Bits).Should().Equal(
                                    decided.Select(BitConverter.SingleToInt32Bits),
                                    $"{form} {m}×{k}×{n} at {w}, epilogue {epilogue}, small entry {(small ? "taken" : "not taken")}");
                                taken += lanes > 0 ? 1 : 0;
                                takenTransposed += lanes > 0 && transposeA ? 1 : 0;
                                cases++;
                            }
                        }
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 9 * 12 * 7 * 5);
        static int Lanes(int m, int n, int k, VectorWidth w) =>
            GemmEngine.SmallDirect(new GemmOperands { RsA = k, CsA = 1, RsB = n, CsB = 1, Ldc = n, M = m, N = n, K = k }, w);
        foreach (VectorWidth w in GemmWidths.All())
        {
            int wide = w == VectorWidth.Bits512 ? 16 : w == VectorWidth.Bits256 ? 8 : 0;
            int narrow = Math.Min(wide, 8);
            Lanes(4, 4, 4, w).Should().Be(narrow, $"4×4×4 at {w}: the direct loops, at 256 bits for four columns");
            Lanes(1, 4, 4, w).Should().Be(wide, $"1×4×4 at {w}: a single row stays at the dispatched width");
            Lanes(1, 15, 128, w).Should().Be(wide, $"1×128×15 at {w}: the direct loops");
            Lanes(16, 2, 128, w).Should().Be(0, $"16×128×2 at {w}: a dot route");
            Lanes(8, wide + 1, 64, w).Should().Be(0, $"a tail of one column at {w}: a dot tail");
            Lanes(32, 4, 4, w).Should().Be(0, $"32 rows at {w}: B may be padded");
            Lanes(8, 64, 128, w).Should().Be(0, $"8×128×64 at {w}: past the small volume");
            TransposedLanes(15, 128, 8, w).Should().Be(wide, $"Aᵀ·B 15×8×128 at {w} (a weight gradient at batch 8): the direct loops");
            TransposedLanes(5, 4, 4, w).Should().Be(narrow, $"Aᵀ·B 5×4×4 at {w}: the direct loops, at 256 bits for four columns");
            TransposedLanes(16, 15, 64, w).Should().Be(wide == 16 && Avx512F.IsSupported ? 0 : narrow, $"Aᵀ·B 16×64×15 at {w}: the column tiles at 512 bits");
            TransposedLanes(16, 2, 128, w).Should().Be(narrow, $"Aᵀ·B 16×128×2 at {w}: no dot route for op(A) read down its columns");
        }

        if (GemmWidths.All().Any(w => w is VectorWidth.Bits512 or VectorWidth.Bits256))
        {
            taken.Should().BeGreaterThan(0);
            takenTransposed.Should().BeGreaterThan(0);
        }

        static int TransposedLanes(int m, int n, int k, VectorWidth w) =>
            GemmEngine.SmallDirect(new GemmOperands { RsA = 1, CsA = m, RsB = n, CsB = 1, Ldc = n, M = m, N = n, K = k }, w);
    }

    [Fact]
    public void The_last_columns_past_whole_vectors_are_dot_products_where_they_pay()
    {
        // GemmEngine.DotTail: with op(A)'s rows contiguous (A·B, A·Bᵀ) and C wider than one vector, the last N mod W
        // columns are dot products when they are one to three (one at 128 bits; up to fifteen at 512 bits for an A·Bᵀ,
        // whose columns are read in place) and cheap enough against K, whatever M, and the rest is the product of the
        // other columns. So
        // Auto gives the forced direct loops' bits on the first N − t columns and the forced dot route's bits on the
        // last t: a dot product's bits depend on neither N nor its column, so that route run on those columns alone is
        // the reference. A tail written one column off, a main part that also wrote the tail, or a tail's sums stored
        // over another column's would differ; Aᵀ·B never takes a tail, so there Auto is the direct loops' throughout.
        GemmEngine.DotTail(17, 64, 1, columnsInPlace: false, 16).Should().Be(1, "one column past a 512-bit vector against K = 64");
        GemmEngine.DotTail(19, 128, 1, columnsInPlace: false, 16).Should().Be(3, "three columns against K = 128");
        GemmEngine.DotTail(20, 128, 1, columnsInPlace: false, 16).Should().Be(0, "four gathered columns are half of the direct loops' 8-lane tail vector");
        GemmEngine.DotTail(20, 128, 1, columnsInPlace: true, 16).Should().Be(4, "four columns read in place at 512 bits");
        GemmEngine.DotTail(21, 128, 1, columnsInPlace: true, 16).Should().Be(5, "five columns in place against K = 128 cost 5·64 < 3·128");
        GemmEngine.DotTail(22, 128, 1, columnsInPlace: true, 16).Should().Be(0, "six columns in place against K = 128 cost 3·K, not below it");
        GemmEngine.DotTail(24, 832, 1, columnsInPlace: true, 16).Should().Be(8, "eight columns in place, half a 512-bit vector, against a long K");
        GemmEngine.DotTail(25, 4096, 1, columnsInPlace: true, 16).Should().Be(0, "nine columns of 4096 floats are more of B than the in-place rule reads from L1 (32 KB)");
        GemmEngine.DotTail(25, 910, 1, columnsInPlace: true, 16).Should().Be(9, "nine columns of 910 floats fit in 32 KB");
        GemmEngine.DotTail(25, 911, 1, columnsInPlace: true, 16).Should().Be(0, "nine columns of 911 floats do not");
        GemmEngine.DotTail(25, 128, 1, columnsInPlace: true, 16).Should().Be(9, "nine columns in place against K = 128 cost 9·37 < 3·128");
        GemmEngine.DotTail(26, 128, 1, columnsInPlace: true, 16).Should().Be(10, "ten columns in place against K = 128 cost 10·37 < 3·128");
        GemmEngine.DotTail(27, 128, 1, columnsInPlace: true, 16).Should().Be(0, "eleven columns in place against K = 128 cost 11·37, more than 3·128");
        GemmEngine.DotTail(25, 96, 1, columnsInPlace: true, 16).Should().Be(9, "nine columns against K = 96 cost 9·31 < 3·96");
        GemmEngine.DotTail(25, 64, 1, columnsInPlace: true, 16).Should().Be(0, "nine columns against K = 64 cost 9·25, more than 3·64");
        GemmEngine.DotTail(25, 100, 1, columnsInPlace: true, 16).Should().Be(0, "K = 100 has a K tail: 9·42, more than 3·100");
        GemmEngine.DotTail(28, 256, 1, columnsInPlace: true, 16).Should().Be(12, "twelve columns against K = 256 cost 12·61 < 3·256");
        GemmEngine.DotTail(44, 512, 1, columnsInPlace: true, 16).Should().Be(12, "the tail past two whole vectors");
        GemmEngine.DotTail(31, 512, 1, columnsInPlace: true, 16).Should().Be(0, "fifteen columns cost more than the direct loops' vector at every K the bound allows");
        GemmEngine.DotTail(25, 512, 1, columnsInPlace: false, 16).Should().Be(0, "gathered columns keep the narrow rule");
        GemmEngine.DotTail(25, 512, 2, columnsInPlace: true, 16).Should().Be(0, "op(A)'s rows are not contiguous");
        GemmEngine.DotTail(13, 512, 1, columnsInPlace: true, 8).Should().Be(0, "five columns at 256 bits are more than the narrow rule's three");
        GemmEngine.DotTail(12, 832, 1, columnsInPlace: true, 8).Should().Be(0, "in place widens the rule at 512 bits only");
        GemmEngine.DotTail(11, 128, 1, columnsInPlace: false, 8).Should().Be(0, "three columns at 256 bits cost 3·K there, not below it");
        GemmEngine.DotTail(10, 128, 1, columnsInPlace: false, 8).Should().Be(2, "two columns at 256 bits");
        GemmEngine.DotTail(16, 64, 1, columnsInPlace: true, 16).Should().Be(0, "whole vectors leave no tail");
        GemmEngine.DotTail(17, 64, 2, columnsInPlace: false, 16).Should().Be(0, "op(A)'s rows are not contiguous");
        GemmEngine.DotTail(17, 1, 1, columnsInPlace: true, 16).Should().Be(0, "K = 1 is too short for a dot product to pay");
        GemmEngine.DotTail(9, 64, 1, columnsInPlace: true, 16).Should().Be(0, "C is not wider than one vector (the dot route decides there)");
        int tails = 0;
        int wideTails = 0;
        int widestTails = 0;
        int cases = 0;
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int lanes = (int)w / 32;
            foreach ((bool ta, bool tb) in Forms.Where(f => !(f.TransposeA && f.TransposeB)))
            {
                foreach (int n in new[] { lanes + 1, lanes + 3, lanes + 4, lanes + 5, lanes + 9, (2 * lanes) - 1, (2 * lanes) + 2, (3 * lanes) + (lanes / 2) })
                {
                    foreach (int k in new[] { 1, 7, 40, 128, 300 })
                    {
                        foreach (int m in new[] { 1, 3, 8, 29 })
                        {
                            var rng = new Random((n * 100_000) + (k * 100) + m + (lanes * 7) + (ta ? 1 : 0) + (tb ? 2 : 0));
                            bool accumulate = rng.Next(2) == 1;
                            (int aRows, int aCols) = ta ? (k, m) : (m, k);
                            (int bRows, int bCols) = tb ? (n, k) : (k, n);
                            (int lda, int ldb, int ldc) = (aCols + 3, bCols + 2, n + 1);
                            float[] a = RandomMatrix(rng, aRows, lda, 2f).Span.ToArray();
                            float[] b = RandomMatrix(rng, bRows, ldb, 2f).Span.ToArray();
                            float[] c0 = RandomMatrix(rng, m, ldc, 2f).Span.ToArray();
                            float[] Run(GemmPath path, int j0, int columns)
                            {
                                float[] c = (float[])c0.Clone();
                                using (KernelDispatch.Cap(w))
                                using (GemmEngine.ForcePath(path))
                                {
                                    Gemm.Compute(ta, tb, m, columns, k, a, lda, b.AsSpan(j0 * (tb ? ldb : 1)), ldb, c.AsSpan(j0), ldc, accumulate);
                                }

                                return c;
                            }

                            int tail = ta ? 0 : GemmEngine.DotTail(n, k, 1, columnsInPlace: tb, lanes);
                            if (!ta && n == lanes + 1 && k >= 128)
                            {
                                tail.Should().Be(1, $"one column past a vector of {lanes} against K = {k} is a dot product");
                            }

                            float[] expected = Run(GemmPath.Direct, 0, n);
                            if (tail > 0)
                            {
                                float[] dots = Run(GemmPath.Dot, n - tail, tail);
                                for (int i = 0; i < m; i++)
                                {
                                    Array.Copy(dots, (i * ldc) + n - tail, expected, (i * ldc) + n - tail, tail);
                                }

                                tails++;
                                wideTails += tail >= 4 ? 1 : 0;
                                widestTails += tail >= 9 ? 1 : 0;
                            }

                            Run(GemmPath.Auto, 0, n).Select(BitConverter.SingleToInt32Bits).Should().Equal(
                                expected.Select(BitConverter.SingleToInt32Bits),
                                $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{k}×{n} at {w}, accumulate={accumulate}, a tail of {tail}");
                            cases++;
                        }
                    }
                }
            }
        }

        // (Without vector widths, as in the CI leg with hardware intrinsics off, there is nothing to run.)
        cases.Should().Be(GemmWidths.All().Count(w => w != VectorWidth.Scalar) * 3 * 8 * 5 * 4);
        if (cases > 0)
        {
            tails.Should().BeGreaterThan(0);
        }

        if (GemmWidths.All().Contains(VectorWidth.Bits512))
        {
            wideTails.Should().BeGreaterThan(0, "an A·Bᵀ at 512 bits takes tails of four to eight columns");
            widestTails.Should().BeGreaterThan(0, "an A·Bᵀ at 512 bits takes tails of nine columns against K = 128 and 300");
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Sigmoid)]
    public void A_dot_tail_adds_each_columns_own_bias(Activation activation)
    {
        // The fused bias and activation on the tail's columns: the bias of column j (a tail that read its bias from
        // column j − (N − t), or from the main part's columns, would differ from the forced routes run apart).
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int lanes = (int)w / 32;
            foreach ((int m, int k, int n) in new[] { (13, 64, lanes + 1), (37, 128, (2 * lanes) + 1), (8, 300, (3 * lanes) + 1) })
            {
                int tail = GemmEngine.DotTail(n, k, 1, columnsInPlace: false, lanes);
                tail.Should().BeGreaterThan(0, $"{m}×{k}×{n} at {w} takes a dot tail");
                var rng = new Random((m * 1000) + n + lanes);
                Matrix a = RandomMatrix(rng, m, k, 2f);
                Matrix b = RandomMatrix(rng, k, n, 2f);
                float[] bias = RandomMatrix(rng, 1, n, 4f).Span.ToArray();
                Matrix Run(GemmPath path, int j0, int columns)
                {
                    var c = new Matrix(m, n);
                    using (KernelDispatch.Cap(w))
                    using (GemmEngine.ForcePath(path))
                    {
                        Gemm.MultiplyBiasActivation(a, b.Slice(0, j0, k, columns), bias.AsSpan(j0, columns), c.Slice(0, j0, m, columns), activation);
                    }

                    return c;
                }

                Matrix expected = Run(GemmPath.Direct, 0, n);
                Matrix dots = Run(GemmPath.Dot, n - tail, tail);
                for (int i = 0; i < m; i++)
                {
                    for (int j = n - tail; j < n; j++)
                    {
                        expected[i, j] = dots[i, j];
                    }
                }

                Run(GemmPath.Auto, 0, n).Span.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(
                    expected.Span.ToArray().Select(BitConverter.SingleToInt32Bits), $"{activation} {m}×{k}×{n} at {w}, a tail of {tail}");
            }
        }
    }

    [Fact]
    public void A_dot_product_of_one_to_five_columns_gets_the_same_bits_in_a_dense_C_as_in_a_strided_one()
    {
        // The dot route stores a dense C (row stride N) in whole vectors that span rows: N = 1 a block's eight sums, N = 2
        // (and 3–5 at 512 bits, where one block takes every column) a block's rows back to back. With a wider stride it
        // stores row by row. Both must give each element the same bits under every epilogue: overwrite, accumulate,
        // bias + activation, whose bias lane l must be bias[l mod N] (read lane by lane from the bias itself, a vector
        // would add bias[1..15] to the wrong columns or past the end), and the activation's gradient after A·Bᵀ, which
        // reads Y at C's positions (Y with C's row stride in each case). M: no block, one block and a tail, several
        // blocks, a last partial block of rows redone as the last four; K: a tail alone, whole vectors, both. N up to
        // the lanes of a vector, where the forced dot route applies.
        int[] ms = [1, 3, 7, 8, 9, 15, 16, 17, 24, 33, 64];
        int[] ks = [1, 15, 16, 17, 128];
        string[] forms = ["overwrite", "accumulate", "Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "gradient ReLU", "gradient Sigmoid"];
        var rng = new Random(20261203);
        foreach (VectorWidth w in GemmWidths.All())
        {
            for (int n = 1; n <= Math.Min(5, w.Floats()); n++)
            {
                foreach (int m in ms)
                {
                    foreach (int k in ks)
                    {
                        Matrix a = RandomMatrix(rng, m, k, 2f);
                        Matrix b = RandomMatrix(rng, k, n, 2f);
                        Matrix bt = RandomMatrix(rng, n, k, 2f);
                        Matrix before = RandomMatrix(rng, m, n, 2f);
                        Matrix y = RandomMatrix(rng, m, n, 1f);
                        float[] bias = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
                        foreach (string form in forms)
                        {
                            var dense = new Matrix(m, n);
                            var strided = new Matrix(m, n, n + 3);
                            before.CopyTo(dense);
                            before.CopyTo(strided);
                            using (KernelDispatch.Cap(w))
                            using (GemmEngine.ForcePath(GemmPath.Dot))
                            {
                                foreach (Matrix c in new[] { dense, strided })
                                {
                                    if (form is "overwrite" or "accumulate")
                                    {
                                        Gemm.Multiply(a, b, c, accumulate: form == "accumulate");
                                    }
                                    else if (form.StartsWith("gradient ", StringComparison.Ordinal))
                                    {
                                        // Y (an activation's output: ReLU's ≥ 0, σ's in (0, 1)) laid out with C's stride.
                                        var output = new Matrix(m, n, c.Stride);
                                        for (int i = 0; i < m; i++)
                                        {
                                            for (int j = 0; j < n; j++)
                                            {
                                                output[i, j] = form == "gradient ReLU" ? MathF.Max(y[i, j], 0f) : 0.5f + (0.49f * y[i, j]);
                                            }
                                        }

                                        Gemm.MultiplyTransposedBActivationGradient(a, bt, c, output, Enum.Parse<Activation>(form["gradient ".Length..]), slope: 0.2f);
                                    }
                                    else
                                    {
                                        Gemm.MultiplyBiasActivation(a, b, bias, c, Enum.Parse<Activation>(form), slope: 0.2f);
                                    }
                                }
                            }

                            for (int i = 0; i < m; i++)
                            {
                                for (int j = 0; j < n; j++)
                                {
                                    if (BitConverter.SingleToInt32Bits(dense[i, j]) != BitConverter.SingleToInt32Bits(strided[i, j]))
                                    {
                                        Assert.Fail($"{m}×{k}×{n} {form} width={w}: C[{i}, {j}] is {dense[i, j]:R} in a dense C, {strided[i, j]:R} in one of row stride {n + 3}.");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_few_rows_of_A_times_B_transposed_get_the_direct_loops_bits(bool accumulate)
    {
        // A·Bᵀ with M ≤ 8 (≤ 48 at 256 bits) and N ≥ 8 transposes B in tiles in registers (GemmEngine.FewRows) instead of copying Bᵀ for
        // the direct loops: 8×8 tiles at 256 bits, 16×16 at 512 (FewRowsOneVector). Each element is the same FMA chain
        // over k from zero, so Auto must give the forced direct loops' bits: every row count 1–8 (one and two passes of
        // four at 256 bits; at 512, three to eight rows in four or eight chains, the rows past M reading the last row
        // again, and one or two rows on the 8×8 tiles), whole and partial
        // blocks of eight and sixteen columns (17: a last block of one column, all its other rows of B the last one), K
        // of every tail length below a tile of 16 (and so of 8), at a tile, and past one and two with tails; and 9 rows,
        // the first left to the direct loops at 512 bits. With AVX-512 one to four rows take sixteen columns as a pair of 8×8 tiles,
        // and a last 9–15 columns as a partial pair (9, 15, and 25 = 16 + 9), the second tile's rows past the last
        // column the last one again. At 256 bits five to eight rows transpose A instead (FewRowsTransposedA: vectors
        // down the rows of C, eight columns at a time, a partial last block of 1–7 columns, K tails of 1–7 in the copy),
        // and so do nine to sixteen rows, two vectors of rows four columns at a time (a partial last block of 1–3 columns),
        // and up to 48 rows in passes of sixteen (the last pass of 1–16 rows; 49, the first left to the direct loops).
        // A chain summed in another order, a column's sum stored in its neighbour's
        // lane, a K tail added twice or cut short, or a repeated row stored would differ.
        int[] ns = [8, 9, 15, 16, 17, 25, 33, 64];
        int[] ks = [.. Enumerable.Range(1, 17), 31, 32, 40];
        int cases = 0;
        int[] ms = [.. Enumerable.Range(1, 17), 20, 24, 29, 33, 48, 49];
        int transposedARuns = 0;
        int twoVectorRuns = 0;
        int passRuns = 0;
        foreach (VectorWidth w in GemmWidths.All().Where(w => w is VectorWidth.Bits256 or VectorWidth.Bits512))
        {
            foreach (int m in ms)
            {
                foreach (int n in ns)
                {
                    foreach (int k in ks)
                    {
                        // Row strides with gaps on every operand (A, B and C each padded differently).
                        var rng = new Random((m * 10_000) + (n * 100) + k + (accumulate ? 1 : 0));
                        (int lda, int ldb, int ldc) = (k + 3, k + 5, n + 2);
                        float[] a = RandomMatrix(rng, m, lda, 2f).Span.ToArray();
                        float[] b = RandomMatrix(rng, n, ldb, 2f).Span.ToArray();
                        float[] c0 = RandomMatrix(rng, m, ldc, 2f).Span.ToArray();
                        float[] Run(GemmPath path)
                        {
                            float[] c = (float[])c0.Clone();
                            using (KernelDispatch.Cap(w))
                            using (GemmEngine.ForcePath(path))
                            {
                                Gemm.Compute(false, true, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                            }

                            return c;
                        }

                        _ = GemmEngine.TakeFewRowsTransposedARuns();
                        float[] auto = Run(GemmPath.Auto);
                        int transposedA = GemmEngine.TakeFewRowsTransposedARuns();
                        float[] direct = Run(GemmPath.Direct);
                        // With 512-bit vectors a C of at most eight columns and more rows than the 512-bit few-row
                        // loops take runs at 256 bits (GemmEngine.DirectAt256), so there too.
                        bool at256 = w == VectorWidth.Bits256 || (n <= 8 && m > GemmEngine.FewRowsMax);
                        if (!at256 || m < 5 || m > GemmEngine.FewRowsTransposedAMax)
                        {
                            transposedA.Should().Be(0, $"{m}×{k}×{n} at {w}: only five to 48 rows at 256 bits transpose A");
                        }

                        transposedARuns += transposedA;
                        twoVectorRuns += m is > 8 and <= 16 ? transposedA : 0;
                        passRuns += m > 16 ? transposedA : 0;

                        // Columns past the last whole vector may be dot products (GemmEngine.DotTail, tested on its own):
                        // only the columns before them (and the gaps between rows) come from the few-row loops.
                        int chained = n - GemmEngine.DotTail(n, k, 1, columnsInPlace: true, (int)w / 32);
                        float[] Chained(float[] c) => Enumerable.Range(0, m * ldc).Where(e => e % ldc < chained || e % ldc >= n).Select(e => c[e]).ToArray();
                        Chained(auto).Select(BitConverter.SingleToInt32Bits).Should().Equal(Chained(direct).Select(BitConverter.SingleToInt32Bits), $"{m}×{k}×{n} at {w}, accumulate={accumulate}");
                        cases++;
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count(w => w is VectorWidth.Bits256 or VectorWidth.Bits512) * ms.Length * ns.Length * ks.Length);
        if (GemmWidths.All().Contains(VectorWidth.Bits256) && Fma.IsSupported)
        {
            transposedARuns.Should().BeGreaterThan(0, "five to eight rows at 256 bits transpose A (GemmEngine.FewRowsTransposedA)");
            twoVectorRuns.Should().BeGreaterThan(0, "nine to sixteen rows at 256 bits take two vectors of rows");
            passRuns.Should().BeGreaterThan(0, "17 to 48 rows at 256 bits take passes of sixteen");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Outer_products_of_K_1_get_the_direct_loops_bits(bool accumulate)
    {
        // K = 1 and two or more columns: Auto takes the outer products (GemmEngine.RankOne), one FMA onto zero per
        // element, two rows at a time, except an Aᵀ·B of two to four columns and enough rows for the transposed product
        // (70 rows here, with 256- or 512-bit vectors), which stores C densely. Every form whose op(B) row is contiguous
        // (A·B; Aᵀ·B, a weight gradient at batch size 1; A·Bᵀ with B one contiguous column), M odd and even, N narrower
        // than a vector, of whole vectors and with every kind of tail, strides with gaps, and operands holding +0 and −0
        // against both signs (so products of −0 occur, which an FMA onto +0 stores as +0 and a plain product would keep
        // as −0): the forced direct loops' bits, the gaps untouched. A row stored one vector off, the second row of a pair given the first's broadcast, a tail's mask
        // one lane wide, or a multiplication in place of the FMA would differ.
        int cases = 0;
        int taken = 0;
        foreach (VectorWidth w in GemmWidths.All())
        {
            int lanes = w.Floats();
            int[] ns = [.. new[] { 2, 3, 4, 5, lanes - 1, lanes, lanes + 1, (2 * lanes) - 1, 2 * lanes, (3 * lanes) + 5 }.Where(n => n >= 2).Distinct()];
            foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true) })
            {
                foreach (int m in new[] { 1, 2, 3, 6, 7, 70 })
                {
                    foreach (int n in ns)
                    {
                        var rng = new Random((m * 1000) + (n * 10) + (ta ? 1 : 0) + (tb ? 2 : 0) + (accumulate ? 5 : 0));
                        bool transposedProduct = ta && n <= 4 && m >= 4 * lanes && lanes >= 8 && Avx.IsSupported;

                        // A: M × 1 (rows lda apart) or, for Aᵀ, 1 × M; B: 1 × N or, for Bᵀ, N × 1 with ldb = 1.
                        (int lda, int ldb, int ldc) = (ta ? m + 2 : 3, tb ? 1 : n + 3, n + 2);
                        float[] a = Signed(rng, ta ? lda : m * lda);
                        float[] b = Signed(rng, tb ? n : ldb);
                        float[] c0 = RandomMatrix(rng, m, ldc, 2f).Span.ToArray();
                        float[] Run(GemmPath path)
                        {
                            float[] c = (float[])c0.Clone();
                            using (KernelDispatch.Cap(w))
                            using (GemmEngine.ForcePath(path))
                            {
                                Gemm.Compute(ta, tb, m, n, 1, a, lda, b, ldb, c, ldc, accumulate);
                            }

                            return c;
                        }

                        var o = new GemmOperands { RsA = ta ? 1 : lda, CsA = ta ? lda : 1, RsB = tb ? 1 : ldb, CsB = 1, Ldc = ldc, M = m, N = n, K = 1 };
                        bool rankOne = GemmEngine.TakesRankOne(o, 1, w);
                        rankOne.Should().Be(!transposedProduct, $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×1×{n} at {w}: the outer products unless the transposed product stores C densely");
                        taken += rankOne ? 1 : 0;
                        float[] auto = Run(GemmPath.Auto);
                        float[] direct = Run(GemmPath.Direct);
                        string name = $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×1×{n} at {w}, accumulate={accumulate}";
                        auto.Select(BitConverter.SingleToInt32Bits).Should().Equal(direct.Select(BitConverter.SingleToInt32Bits), name);
                        for (int i = 0; i < m; i++)
                        {
                            for (int j = n; j < ldc; j++)
                            {
                                BitConverter.SingleToInt32Bits(auto[(i * ldc) + j]).Should().Be(BitConverter.SingleToInt32Bits(c0[(i * ldc) + j]), $"{name}: the gap after row {i}");
                            }
                        }

                        cases++;
                    }
                }
            }
        }

        taken.Should().BeGreaterThan(0);
        cases.Should().BeGreaterThan(3 * 6 * 4 * GemmWidths.All().Count());

        // Values from −2 to 2 with every fourth a zero of either sign.
        static float[] Signed(Random rng, int length) =>
            [.. Enumerable.Range(0, length).Select(e => (e % 4) switch { 0 => 0f, 1 => -0f, _ => (float)((rng.NextDouble() * 4) - 2) })];
    }

    [Fact]
    public void A_few_rows_of_A_times_B_transposed_read_B_in_place()
    {
        // The route shows in the thread-static scratch: the direct loops copy Bᵀ into it, GemmEngine.FewRows reads B
        // where it is. So each product runs on a fresh thread: up to eight rows take no copy (48 at 256 bits), one more
        // does, and so
        // does a C of fewer than eight columns (the padded copy of Bᵀ, or the dot products' own route).
        if (!Avx.IsSupported || !Fma.IsSupported || KernelDispatch.Width is not (VectorWidth.Bits256 or VectorWidth.Bits512))
        {
            return;
        }

        static bool CopiesB(int m, int n, int k)
        {
            bool copied = false;
            var thread = new Thread(() =>
            {
                var a = new float[m * k];
                var b = new float[n * k];
                var c = new float[m * n];
                a.AsSpan().Fill(0.5f);
                b.AsSpan().Fill(0.25f);
                Gemm.Compute(false, true, m, n, k, a, k, b, k, c, n);
                copied = GemmEngine.ScratchAllocated.OperandCopy;
                c.Should().OnlyContain(v => v == k * 0.125f, "K products of 0.5 · 0.25");
            });
            thread.Start();
            thread.Join();
            return copied;
        }

        CopiesB(1, 33, 40).Should().BeFalse("one row, 33 columns: Bᵀ transposed in registers");
        CopiesB(8, 16, 9).Should().BeFalse("eight rows: one pass of eight chains at 512 bits, A transposed instead at 256");
        int most = KernelDispatch.Width == VectorWidth.Bits256 ? GemmEngine.FewRowsTransposedAMax : GemmEngine.FewRowsMax;
        CopiesB(most, 16, 9).Should().BeFalse($"{most} rows at {KernelDispatch.Width}: no copy");
        CopiesB(most + 1, 16, 9).Should().BeTrue($"{most + 1} rows at {KernelDispatch.Width} take the copy and the direct loops");
        CopiesB(8, 7, 9).Should().BeTrue("seven columns: the padded copy of Bᵀ");
    }

    [Fact]
    public void Auto_takes_the_dot_products_where_the_rule_says_they_pay()
    {
        // Where DotPays holds (DotPaysInPlace for A·Bᵀ, whose columns of op(B) the dot products read in place), Auto's
        // result is bit for bit the forced dot products' (the direct loops sum k by k and differ in the last bits for
        // these operands); where it does not, bit for bit the direct loops'. 64×128×12, 20×256×15 and 3×100×9: dot
        // products for A·Bᵀ at 512 bits only; 64×128×14, 64×72×12 and 20×256×16: the direct loops for both forms.
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int lanes = (int)w / 32;
            // (64×128×15 only where 15 columns fit in one vector, so the forced dot products are another route.)
            foreach ((int m, int k, int n) in new[] { (37, 200, 2), (20, 300, 3), (64, 128, 15), (9, 64, lanes), (64, 128, 12), (20, 256, 15), (3, 100, 9), (64, 128, 14), (64, 72, 12), (20, 256, 16) }.Where(s => s.Item3 <= lanes))
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    var rng = new Random((m * 100) + n + (transposeB ? 7 : 0));
                    (float[] a, int aCols, float[] b, int bCols, float[] _) = RandomOperands(false, transposeB, m, n, k, rng);
                    float[] Run(GemmPath path)
                    {
                        var c = new float[m * n];
                        using (KernelDispatch.Cap(w))
                        using (GemmEngine.ForcePath(path))
                        {
                            Gemm.Compute(false, transposeB, m, n, k, a, aCols, b, bCols, c, n, accumulate: false);
                        }

                        return c;
                    }

                    bool pays = transposeB ? GemmEngine.DotPaysInPlace(n, k, lanes) : GemmEngine.DotPays(n, k, lanes);
                    float[] auto = Run(GemmPath.Auto);
                    float[] chosen = Run(pays ? GemmPath.Dot : GemmPath.Direct);
                    float[] other = Run(pays ? GemmPath.Direct : GemmPath.Dot);
                    auto.Select(BitConverter.SingleToInt32Bits).Should().Equal(chosen.Select(BitConverter.SingleToInt32Bits), $"{m}×{k}×{n} transposeB={transposeB} at {w}: the rule says {(pays ? "dot products" : "direct loops")}");
                    auto.Select(BitConverter.SingleToInt32Bits).Should().NotEqual(other.Select(BitConverter.SingleToInt32Bits), "the two routes must differ somewhere for the check above to mean anything");
                }
            }
        }
    }

    [Fact]
    public void A_few_columns_against_a_long_K_take_the_dot_products()
    {
        // The rule itself (GemmEngine.DotPays), counted in FMAs per row: N·(5/4·⌈K/lanes⌉ + 96/lanes) < K, at most one
        // vector of columns.
        GemmEngine.DotPays(2, 832, 16).Should().BeTrue("2·(5/4·52 + 6) = 142 < 832");
        GemmEngine.DotPays(15, 128, 16).Should().BeFalse("the seed GAN's 64×128×15: 15·(5/4·8 + 6) = 240 ≥ 128");
        GemmEngine.DotPays(15, 2048, 16).Should().BeFalse("the wide GAN's 1024×2048×15: 15·(5/4·128 + 6) = 2,490 ≥ 2,048");
        GemmEngine.DotPays(7, 128, 16).Should().BeTrue("7·(5/4·8 + 6) = 112 < 128");
        GemmEngine.DotPays(8, 128, 16).Should().BeFalse("8·(5/4·8 + 6) = 128, not below 128");
        GemmEngine.DotPays(2, 40, 8).Should().BeTrue("2·(5/4·5 + 12) = 36.5 < 40");
        GemmEngine.DotPays(3, 40, 8).Should().BeFalse("3·(5/4·5 + 12) = 54.75 ≥ 40");
        GemmEngine.DotPays(17, 4096, 16).Should().BeFalse("more than one vector of columns");
        GemmEngine.DotPays(1, 1000, 1).Should().BeFalse("no lanes to sum across");

        // A·Bᵀ, op(B)'s columns read in place (GemmEngine.DotPaysInPlace): at 512 bits also 9–15 columns against K ≥ 64
        // when N·(3/4·⌈K/16⌉ + 13/4, + 2 with a K tail) < K and B holds at most 8,192 floats.
        GemmEngine.DotPaysInPlace(7, 128, 16).Should().BeTrue("DotPays holds");
        GemmEngine.DotPaysInPlace(8, 64, 16).Should().BeFalse("eight columns or fewer keep DotPays (and the pairs of rows)");
        GemmEngine.DotPaysInPlace(9, 128, 16).Should().BeTrue("9·(6 + 3.25) = 83.25 < 128");
        GemmEngine.DotPaysInPlace(13, 128, 16).Should().BeTrue("13·9.25 = 120.25 < 128");
        GemmEngine.DotPaysInPlace(14, 128, 16).Should().BeFalse("14·9.25 = 129.5 ≥ 128");
        GemmEngine.DotPaysInPlace(15, 128, 16).Should().BeFalse("the seed GAN's 64×128×15 stays in the direct loops");
        GemmEngine.DotPaysInPlace(10, 64, 16).Should().BeTrue("10·(3 + 3.25) = 62.5 < 64");
        GemmEngine.DotPaysInPlace(11, 64, 16).Should().BeFalse("11·6.25 = 68.75 ≥ 64");
        GemmEngine.DotPaysInPlace(9, 72, 16).Should().BeFalse("9·(3.75 + 3.25 + 2) = 81 ≥ 72: the K tail");
        GemmEngine.DotPaysInPlace(9, 100, 16).Should().BeTrue("9·(5.25 + 5.25) = 94.5 < 100");
        GemmEngine.DotPaysInPlace(12, 40, 16).Should().BeFalse("K below 64");
        GemmEngine.DotPaysInPlace(15, 512, 16).Should().BeTrue("15·(24 + 3.25) = 408.75 < 512, B 7,680 floats");
        GemmEngine.DotPaysInPlace(16, 256, 16).Should().BeFalse("sixteen columns fill the vector (and are all a dot tail leaves)");
        GemmEngine.DotPaysInPlace(15, 560, 16).Should().BeFalse("B 8,400 floats, past L1");
        GemmEngine.DotPaysInPlace(15, 2048, 16).Should().BeFalse("the wide GAN's 1024×2048×15: B 120 KB");
        GemmEngine.DotPaysInPlace(12, 128, 8).Should().BeFalse("more than one 256-bit vector of columns");
        GemmEngine.DotPaysInPlace(8, 128, 8).Should().Be(GemmEngine.DotPays(8, 128, 8), "256 bits keep DotPays");
    }

    /// <summary>The bits of C = op(A)·op(B) (C overwritten) at width <paramref name="w"/>, on route
    /// <paramref name="path"/> with blocking <paramref name="blocking"/> forced: a routing test compares them between
    /// routes, whose sums over a K longer than KC differ in their last bits.</summary>
    /// <summary>
    /// One rule that reads op(B) in place while the stored B spans at most a bound (<paramref name="withBound"/> sets it in
    /// a blocking whose KC is 64, so the packed route sums K in blocks and its bits differ from the direct loops' one
    /// chain): Auto gives the direct loops' bits with the bound at the stored B's bytes where the rule
    /// <paramref name="applies"/> (else the packed route's), and the packed route's one byte below. B is stored with 8
    /// floats between rows, which the bound counts: rows times row stride.
    /// </summary>
    private static void AutoReadsBInPlaceWithin(VectorWidth w, Func<long, GemmBlocking> withBound, bool ta, bool tb, int m, int n, int k, Random rng, bool applies, string rule)
    {
        (float[] a, int aCols, float[] b0, int bCols, float[] _) = RandomOperands(ta, tb, m, n, k, rng);
        int ldb = bCols + 8;
        int bRows = tb ? n : k;
        float[] b = Strided(b0, bRows, bCols, ldb);
        long bBytes = sizeof(float) * (long)bRows * ldb;
        int[] Run(GemmPath path, long bound) => ForcedBits(w, path, withBound(bound), ta, tb, m, n, k, a, aCols, b, ldb);

        string what = $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{n}×{k} at width {w} ({rule})";
        int[] direct = Run(GemmPath.Direct, 0);
        int[] packed = Run(GemmPath.Packed, 0);
        direct.Should().NotEqual(packed, $"the two routes sum K = {k} in another order ({what}), so the bits tell them apart");
        Run(GemmPath.Auto, bBytes).Should().Equal(applies ? direct : packed, $"the stored B spans {bBytes} bytes within a bound of {bBytes} ({what})");
        Run(GemmPath.Auto, bBytes - 1).Should().Equal(packed, $"the stored B spans {bBytes} bytes, past a bound of {bBytes - 1} ({what})");
    }

    private static int[] ForcedBits(VectorWidth w, GemmPath path, GemmBlocking blocking, bool ta, bool tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb)
    {
        float[] c = new float[m * n];
        using (KernelDispatch.Cap(w))
        using (GemmEngine.ForcePath(path))
        using (GemmEngine.ForceBlocking(blocking))
        {
            Gemm.Compute(ta, tb, m, n, k, a, lda, b, ldb, c, n, false);
        }

        return c.Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    /// <summary>A dense <paramref name="rows"/> × <paramref name="cols"/> matrix stored again with row stride
    /// <paramref name="ld"/> ≥ <paramref name="cols"/>, zeros between the rows.</summary>
    private static float[] Strided(float[] dense, int rows, int cols, int ld)
    {
        float[] strided = new float[rows * ld];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(dense, r * cols, strided, r * ld, cols);
        }

        return strided;
    }

    /// <summary>Random op(A) (M×K), op(B) (K×N) and C (M×N) in [−2, 2), stored as the transposes ask, with their row lengths.</summary>
    private static (float[] A, int ACols, float[] B, int BCols, float[] C) RandomOperands(bool transposeA, bool transposeB, int m, int n, int k, Random rng)
    {
        (int aRows, int aCols) = transposeA ? (k, m) : (m, k);
        (int bRows, int bCols) = transposeB ? (n, k) : (k, n);
        return (RandomMatrix(rng, aRows, aCols, 2f).Span.ToArray(), aCols, RandomMatrix(rng, bRows, bCols, 2f).Span.ToArray(), bCols, RandomMatrix(rng, m, n, 2f).Span.ToArray());
    }

    /// <summary>Computes C (from <paramref name="c0"/>) in one call and again in slices of 1–13 rows, one call each, at
    /// width <paramref name="w"/>; fails, naming the first differing element, unless the two agree bit for bit. Returns
    /// the one-call result.</summary>
    private static float[] WholeAgainstSlices(bool transposeA, bool transposeB, int m, int n, int k, float[] a, int aCols, float[] b, int bCols, float[] c0, bool accumulate, VectorWidth w, Random rng)
    {
        float[] whole = (float[])c0.Clone();
        float[] sliced = (float[])c0.Clone();
        using (KernelDispatch.Cap(w))
        {
            Gemm.Compute(transposeA, transposeB, m, n, k, a, aCols, b, bCols, whole, n, accumulate);
            int i = 0;
            while (i < m)
            {
                int h = Math.Min(m - i, 1 + rng.Next(13));
                ReadOnlySpan<float> aSlice = transposeA ? a.AsSpan(i) : a.AsSpan(i * aCols);
                Gemm.Compute(transposeA, transposeB, h, n, k, aSlice, aCols, b, bCols, sliced.AsSpan(i * n, h * n), n, accumulate);
                i += h;
            }
        }

        for (int e = 0; e < whole.Length; e++)
        {
            if (BitConverter.SingleToInt32Bits(whole[e]) != BitConverter.SingleToInt32Bits(sliced[e]))
            {
                Assert.Fail($"{m}×{n}×{k} transposeA={transposeA} transposeB={transposeB} accumulate={accumulate} width={w}: C[{e / n}, {e % n}] is {whole[e]:R} in one call, {sliced[e]:R} in slices.");
            }
        }

        return whole;
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void A_narrow_dense_output_gets_the_same_bits_from_the_padded_copy_of_B(Activation activation)
    {
        // act(A·B + b) with C narrower than one vector: the 64-row product reads a zero-padded copy of B (GemmEngine.PadsB),
        // eight-row slices read B itself under a mask. Every stored element is the same FMA chain, so the bits must agree;
        // a padding lane leaking into a stored column, or a wrong padded stride, would not.
        var rng = new Random(20261202 + (int)activation);
        foreach (VectorWidth w in GemmWidths.All())
        {
            int lanes = w == VectorWidth.Scalar ? 1 : (int)w / 32;
            for (int n = 2; n < lanes; n++)
            {
                const int m = 64, k = 37;
                Matrix a = RandomMatrix(rng, m, k, 2f);
                Matrix b = RandomMatrix(rng, k, n, 2f);
                float[] bias = RandomMatrix(rng, 1, n, 2f).Span.ToArray();
                var whole = new Matrix(m, n);
                var sliced = new Matrix(m, n);
                using (KernelDispatch.Cap(w))
                {
                    Gemm.MultiplyBiasActivation(a, b, bias, whole, activation, 0.2f);
                    for (int i = 0; i < m; i += 8)
                    {
                        var rows = new Matrix(8, k);
                        var out8 = new Matrix(8, n);
                        a.Span.Slice(i * k, 8 * k).CopyTo(rows.Span);
                        Gemm.MultiplyBiasActivation(rows, b, bias, out8, activation, 0.2f);
                        out8.Span.CopyTo(sliced.Span.Slice(i * n, 8 * n));
                    }
                }

                AssertPaddedMatchesSlices(whole, sliced, $"{activation}, width {w}, N = {n}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.ReLU, false)]
    [InlineData(Activation.LeakyReLU, false)]
    [InlineData(Activation.Sigmoid, false)]
    [InlineData(Activation.Tanh, false)]
    [InlineData(Activation.ReLU, true)]
    [InlineData(Activation.Tanh, true)]
    public void A_narrow_activation_gradient_gets_the_same_bits_from_the_padded_copy_of_B(Activation activation, bool overY)
    {
        // f'(Y) ⊙ (dY·Wᵀ) with C narrower than one vector: the 64-row product transposes W into a zero-padded copy
        // (GemmEngine.PadsB), 8-row slices use the unpadded transpose. With overY the result is written over Y itself
        // (the in-place form the training step's last backward pass uses; K ≤ 16 allows it).
        var rng = new Random(20261203 + (int)activation + (overY ? 100 : 0));
        foreach (VectorWidth w in GemmWidths.All())
        {
            int lanes = w == VectorWidth.Scalar ? 1 : (int)w / 32;
            for (int n = 2; n < lanes; n++)
            {
                const int m = 64;
                int k = overY ? 13 : 40;
                Matrix a = RandomMatrix(rng, m, k, 2f);
                Matrix b = RandomMatrix(rng, n, k, 2f);
                Matrix y = RandomMatrix(rng, m, n, 2f);
                var whole = new Matrix(m, n);
                var sliced = new Matrix(m, n);
                using (KernelDispatch.Cap(w))
                {
                    if (overY)
                    {
                        y.Span.CopyTo(whole.Span);
                        Gemm.MultiplyTransposedBActivationGradient(a, b, whole, whole, activation, 0.2f);
                    }
                    else
                    {
                        Gemm.MultiplyTransposedBActivationGradient(a, b, whole, y, activation, 0.2f);
                    }

                    for (int i = 0; i < m; i += 8)
                    {
                        var rows = new Matrix(8, k);
                        var y8 = new Matrix(8, n);
                        var out8 = new Matrix(8, n);
                        a.Span.Slice(i * k, 8 * k).CopyTo(rows.Span);
                        y.Span.Slice(i * n, 8 * n).CopyTo(y8.Span);
                        Gemm.MultiplyTransposedBActivationGradient(rows, b, out8, y8, activation, 0.2f);
                        out8.Span.CopyTo(sliced.Span.Slice(i * n, 8 * n));
                    }
                }

                AssertPaddedMatchesSlices(whole, sliced, $"{activation}, over Y = {overY}, width {w}, N = {n}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    public void A_partial_last_vector_gets_the_same_bits_from_B_padded_to_whole_128_bit_vectors(Activation activation)
    {
        // act(A·B + b) at 128 bits with N not a multiple of 4. Where the CPU has no masked load (x64 without AVX: CI's leg
        // with AVX off; Arm64), the 48-row product reads a copy of B padded with zeros to whole vectors
        // (GemmEngine.PadsToWholeVectors) and its last vector of C is stored under a mask, while 4-row slices, fewer rows
        // than the two blocks a copy waits for, read B itself under a mask. Every stored element is the same chain over k, so the bits must agree: a
        // padding lane stored into C or into the next row, a wrong padded stride or a column left uncopied would not.
        // Where the CPU has a masked load, both sides read B in place and this checks the slices alone.
        if (!KernelWidths.Available.Contains(VectorWidth.Bits128))
        {
            return;
        }

        var rng = new Random(20261205 + (int)activation);
        foreach (int n in new[] { 2, 3, 5, 6, 7, 9, 11, 13, 14, 15, 18, 31 })
        {
            const int m = 48, rowsPerSlice = 4;
            int k = 5 + (n * 7 % 40);
            Matrix a = RandomMatrix(rng, m, k, 2f);
            Matrix b = RandomMatrix(rng, k, n, 2f);
            float[] bias = RandomMatrix(rng, 1, n, 2f).Span.ToArray();
            var whole = new Matrix(m, n);
            var sliced = new Matrix(m, n);
            using (KernelDispatch.Cap(VectorWidth.Bits128))
            {
                Gemm.MultiplyBiasActivation(a, b, bias, whole, activation, 0.2f);
                for (int i = 0; i < m; i += rowsPerSlice)
                {
                    var rows = new Matrix(rowsPerSlice, k);
                    var part = new Matrix(rowsPerSlice, n);
                    a.Span.Slice(i * k, rowsPerSlice * k).CopyTo(rows.Span);
                    Gemm.MultiplyBiasActivation(rows, b, bias, part, activation, 0.2f);
                    part.Span.CopyTo(sliced.Span.Slice(i * n, rowsPerSlice * n));
                }
            }

            AssertPaddedMatchesSlices(whole, sliced, $"{activation}, N = {n}, K = {k}", rowsPerSlice);
            for (int e = 0; e < m * n; e++)
            {
                int i = e / n, j = e % n;
                double sum = bias[j], magnitude = Math.Abs(bias[j]);
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i, p] * b[p, j];
                    magnitude += Math.Abs((double)a[i, p] * b[p, j]);
                }

                // The float chain's rounding: at most about (k + 1)·u of the terms' magnitudes (u = 2⁻²⁴), with room for
                // the activation's own last bits.
                double expected = activation == Activation.ReLU ? Math.Max(sum, 0) : activation == Activation.Tanh ? Math.Tanh(sum) : sum;
                double tolerance = (2 * (k + 1) * magnitude * Math.Pow(2, -24)) + 1e-6;
                Assert.True(Math.Abs(whole.Span[e] - expected) <= tolerance, $"{activation}, N = {n}: C[{i}, {j}] = {whole.Span[e]:R}, expected {expected:R} within {tolerance:G3}");
            }
        }
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void A_C_beyond_a_quarter_of_L2_gets_the_bits_of_small_slices_row_block_by_row_block(bool transposeA, bool transposeB, bool accumulate)
    {
        // The direct loops write a C larger than 4·StreamBytes (a quarter of L2) and at least two strips wide row block
        // by row block, each block's full tiles in one call across C (GemmMicroKernels' across and bAcross arguments)
        // from a packed op(B), and a smaller C down columns of tiles. With StreamBytes forced to 16 KB (a 64 KB bound on
        // any host) and one thread, a C of 45 rows more than that bound holds (row blocks and a row tail) must match
        // 1–13-row slices of it, which stay under the bound and take the column order, bit for bit, and the
        // double-precision reference. 1000 columns end in a masked strip, 100 in a narrower strip of whole vectors at
        // 256 bits; 40 are two strips and a tail at 256 bits but under two strips at 512 (column order there).
        GemmBlocking host = GemmEngine.BlockingFor(KernelDispatch.HardwareWidth);
        GemmBlocking small = host with { ParallelThreshold = long.MaxValue, StreamBytes = 16 * 1024 };
        int k = 7;
        var rng = new Random(20261202 + (transposeA ? 1 : 0) + (transposeB ? 2 : 0) + (accumulate ? 4 : 0));
        foreach (int n in new[] { 1000, 100, 40 })
        {
            int m = (4 * small.StreamBytes / (n * sizeof(float))) + 45;
            (float[] a, int aCols, float[] b, int bCols, float[] c0) = RandomOperands(transposeA, transposeB, m, n, k, rng);
            foreach (VectorWidth w in GemmWidths.All())
            {
                float[] whole;
                using (GemmEngine.ForceBlocking(small))
                {
                    whole = WholeAgainstSlices(transposeA, transposeB, m, n, k, a, aCols, b, bCols, c0, accumulate, w, rng);
                }

                for (int e = 0; e < whole.Length; e += 7)
                {
                    (int row, int col) = (e / n, e % n);
                    double expected = accumulate ? c0[e] : 0;
                    for (int p = 0; p < k; p++)
                    {
                        double x = transposeA ? a[(p * aCols) + row] : a[(row * aCols) + p];
                        double y = transposeB ? b[(col * bCols) + p] : b[(p * bCols) + col];
                        expected += x * y;
                    }

                    whole[e].Should().BeApproximately((float)expected, 1e-4f, $"C[{row}, {col}] of {m}×{n}×{k} at width {w}");
                }
            }
        }
    }

    [Fact]
    public void Operands_already_in_L2_skip_packing_at_any_volume()
    {
        // GemmBlocking.DirectBytes: products whose op(A), op(B) and C span at most that many bytes run on the direct
        // loops even at and above PackedThreshold. The host's bound is half of L2 for the 8-row kernels (512 bits), a
        // quarter for the narrower ones.
        foreach (VectorWidth w in GemmWidths.All())
        {
            int l2 = GemmCacheInfo.Host.L2Bytes;
            GemmEngine.BlockingFor(w).DirectBytes.Should().Be(w == VectorWidth.Bits512 ? l2 / 2 : l2 / 4, $"the unpacked bound at {w}");
        }

        // The route shows in the bits: with KC forced to 64, the packed path sums K = 600 in ten blocks, each added into
        // C, where the direct loops run one FMA chain over all of K. 64 × 64 × 600 is above PackedThreshold. A bound of
        // exactly its operands' bytes sends it to the direct loops, one byte less to the packed path; every form counts
        // its stored matrices (A·Bᵀ's B is 64 × 600, Aᵀ·B's A 600 × 64), and a view whose rows lie further apart than
        // its width (A with lda = K + 40) counts the rows it spans, skipped floats included.
        (int m, int n, int k) = (64, 64, 600);
        ((long)m * n * k).Should().BeGreaterThanOrEqualTo(GemmEngine.PackedThreshold);
        long dense = sizeof(float) * (((long)m * k) + ((long)k * n) + ((long)m * n));
        var rng = new Random(20261201);
        foreach ((bool ta, bool tb) in Forms)
        {
            foreach (int padA in new[] { 0, 40 })
            {
                (float[] a0, int aCols, float[] b, int bCols, float[] _) = RandomOperands(ta, tb, m, n, k, rng);
                int lda = aCols + padA;
                int aRows = ta ? k : m;
                float[] a = Strided(a0, aRows, aCols, lda);

                long bytes = dense + (sizeof(float) * (long)aRows * padA);
                foreach (VectorWidth w in GemmWidths.All())
                {
                    // (The rules for an A·B whose op(B) stays in L2, KeepsBInL2, for a C of few tiles, HasFewTiles, and for
                    // a C of few row blocks, HasFewRowBlocks, off: their own tests are below.)
                    GemmBlocking blocking = GemmEngine.BlockingFor(w) with { KC = 64, ParallelThreshold = long.MaxValue, ResidentBBytes = 0, FewTilesBBytes = 0, FewRowsBBytes = 0 };
                    int[] Run(GemmPath path, long directBytes) => ForcedBits(w, path, blocking with { DirectBytes = directBytes }, ta, tb, m, n, k, a, lda, b, bCols);

                    string what = $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{n}×{k}, lda {lda}, at width {w}";
                    int[] direct = Run(GemmPath.Direct, bytes);
                    int[] packed = Run(GemmPath.Packed, bytes);
                    direct.Should().NotEqual(packed, $"the two routes sum K = {k} in another order ({what}), so the bits tell them apart");
                    Run(GemmPath.Auto, bytes).Should().Equal(direct, $"operands spanning {bytes} bytes fit a bound of {bytes} ({what})");
                    Run(GemmPath.Auto, bytes - 1).Should().Equal(packed, $"operands spanning {bytes} bytes exceed a bound of {bytes - 1} ({what})");
                }
            }
        }
    }

    [Fact]
    public void An_A_times_B_whose_B_stays_in_L2_skips_packing_at_any_volume()
    {
        // GemmBlocking.ResidentBBytes and ResidentBDepth: an A·B whose op(B) spans at most ResidentBBytes and whose K is
        // at most ResidentBDepth runs on the direct loops, whatever A and C take. The host's bound is all of L2 and
        // MR rows of A in half of L1d for the 8-row kernels (512 bits), never for the narrower ones.
        foreach (VectorWidth w in GemmWidths.All())
        {
            GemmBlocking host = GemmEngine.BlockingFor(w);
            bool eightRows = w == VectorWidth.Bits512;
            host.ResidentBBytes.Should().Be(eightRows ? GemmCacheInfo.Host.L2Bytes : 0, $"op(B)'s bound at {w}");
            host.ResidentBDepth.Should().Be(eightRows ? GemmCacheInfo.Host.L1Bytes / 2 / (8 * sizeof(float)) : 0, $"K's bound at {w}");
        }

        // The bits tell the routes apart (KC forced to 64: the packed path adds ten K blocks into C, the direct loops run
        // one FMA chain). A, B and C together (DirectBytes 0) never fit; op(B) alone, 600 × 64 floats with its stride
        // (ldb = N + 8 counts the skipped floats), decides, and only for A·B: Aᵀ·B and A·Bᵀ keep packing.
        (int m, int n, int k) = (64, 64, 600);
        ((long)m * n * k).Should().BeGreaterThanOrEqualTo(GemmEngine.PackedThreshold);
        var rng = new Random(20261202);
        foreach ((bool ta, bool tb) in Forms)
        {
            (float[] a, int aCols, float[] b0, int bCols, float[] _) = RandomOperands(ta, tb, m, n, k, rng);
            int ldb = bCols + 8;
            int bRows = tb ? n : k;
            float[] b = Strided(b0, bRows, bCols, ldb);

            long bBytes = sizeof(float) * (long)bRows * ldb;
            foreach (VectorWidth w in GemmWidths.All())
            {
                GemmBlocking blocking = GemmEngine.BlockingFor(w) with { KC = 64, ParallelThreshold = long.MaxValue, DirectBytes = 0, FewTilesBBytes = 0, FewRowsBBytes = 0 };
                int[] Run(GemmPath path, long residentBytes, int residentDepth) =>
                    ForcedBits(w, path, blocking with { ResidentBBytes = residentBytes, ResidentBDepth = residentDepth }, ta, tb, m, n, k, a, aCols, b, ldb);

                string what = $"{(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} {m}×{n}×{k}, ldb {ldb}, at width {w}";
                int[] direct = Run(GemmPath.Direct, 0, 0);
                int[] packed = Run(GemmPath.Packed, 0, 0);
                direct.Should().NotEqual(packed, $"the two routes sum K = {k} in another order ({what}), so the bits tell them apart");
                bool applies = !ta && !tb;
                Run(GemmPath.Auto, bBytes, k).Should().Equal(applies ? direct : packed, $"op(B) spans {bBytes} bytes within a bound of {bBytes}, K = {k} ({what})");
                Run(GemmPath.Auto, bBytes - 1, k).Should().Equal(packed, $"op(B) spans {bBytes} bytes, past a bound of {bBytes - 1} ({what})");
                Run(GemmPath.Auto, bBytes, k - 1).Should().Equal(packed, $"K = {k} is past a depth of {k - 1} ({what})");
            }
        }
    }

    [Fact]
    public void A_C_at_most_eight_tiles_wide_skips_packing()
    {
        // GemmBlocking.FewTilesBBytes and GemmEngine.FewTiles: with op(A)'s rows contiguous (A·B, A·Bᵀ), a C at most
        // eight micro-tiles wide whose op(B) takes at most FewTilesBBytes runs on the direct loops at any volume and K.
        // The host's bound at every width: a quarter of L3, at most four times L2 (half of L2 without an L3).
        GemmCacheInfo cache = GemmCacheInfo.Host;
        long expected = cache.L3Bytes > 0 ? Math.Min(cache.L3Bytes / 4, 4L * cache.L2Bytes) : cache.L2Bytes / 2;
        foreach (VectorWidth w in GemmWidths.All())
        {
            GemmEngine.BlockingFor(w).FewTilesBBytes.Should().Be(expected, $"op(B)'s bound at {w}");
        }

        // The bits tell the routes apart (KC forced to 64: the packed path adds K = 200 into C in four blocks, the direct
        // loops in one FMA chain); the other rules that skip packing are off (DirectBytes, ResidentBBytes 0). At each
        // width C is exactly FewTiles tiles wide, then one vector wider. (Not the scalar kernels: their eight tiles are
        // 16 columns, where the skinny rule already reads the operands in place.)
        var rng = new Random(20261203);
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int lanes = (int)w / 32;
            (int _, int nv) = GemmEngine.TileFor(lanes);
            int wide = GemmEngine.FewTiles * nv * lanes;
            // One vector wider, not one column: a single column past the tiles would be a dot product (GemmEngine.DotTail),
            // and the rest exactly FewTiles tiles again.
            foreach (int n in new[] { wide, wide + lanes })
            {
                (int m, int k) = (40, 200);
                int volumeRows = (int)Math.Max(m, (GemmEngine.PackedThreshold / ((long)n * k)) + 1);
                foreach ((bool ta, bool tb) in Forms)
                {
                    GemmBlocking blocking = GemmEngine.BlockingFor(w) with { KC = 64, ParallelThreshold = long.MaxValue, DirectBytes = 0, ResidentBBytes = 0, FewRowsBBytes = 0 };
                    AutoReadsBInPlaceWithin(
                        w, bytes => blocking with { FewTilesBBytes = bytes }, ta, tb, volumeRows, n, k, rng, applies: !ta && n <= wide, $"{n} columns, {GemmEngine.FewTiles} tiles are {wide}");
                }
            }
        }
    }

    [Fact]
    public void A_C_of_at_most_eight_row_blocks_skips_packing()
    {
        // GemmBlocking.FewRowsBBytes and GemmEngine.FewRowBlocks: with op(B)'s rows contiguous (A·B, Aᵀ·B), a C of at most
        // eight blocks of MR rows whose op(B) takes at most FewRowsBBytes runs on the direct loops at any volume and K.
        // The host's bound: FewTilesBBytes' for the 8-row kernels (512 bits), all of L2 at 256 bits (a tile's row of op(B)
        // fills a line), none at 128 bits and without vectors.
        foreach (VectorWidth w in GemmWidths.All())
        {
            GemmBlocking host = GemmEngine.BlockingFor(w);
            long expected = w switch
            {
                VectorWidth.Bits512 => host.FewTilesBBytes,
                VectorWidth.Bits256 => GemmCacheInfo.Host.L2Bytes,
                _ => 0,
            };
            host.FewRowsBBytes.Should().Be(expected, $"op(B)'s bound at {w}");
        }

        // The bits tell the routes apart (KC forced to 64: the packed path adds K = 200 into C in four blocks, the direct
        // loops in one FMA chain); the other rules that skip packing are off. At each width C has exactly FewRowBlocks
        // blocks of MR rows, then one row more.
        var rng = new Random(20261206);
        int applied = 0;
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int mr = GemmEngine.TileFor((int)w / 32).Mr;
            int rows = GemmEngine.FewRowBlocks * mr;
            foreach (int m in new[] { rows, rows + 1 })
            {
                (int n, int k) = (256, 200); // M·N·K past the packed threshold at 48 rows too
                foreach ((bool ta, bool tb) in Forms)
                {
                    GemmBlocking blocking = GemmEngine.BlockingFor(w) with { KC = 64, ParallelThreshold = long.MaxValue, DirectBytes = 0, ResidentBBytes = 0, FewTilesBBytes = 0 };
                    bool applies = !tb && m <= rows;
                    applied += applies ? 1 : 0;
                    AutoReadsBInPlaceWithin(
                        w, bytes => blocking with { FewRowsBBytes = bytes }, ta, tb, m, n, k, rng, applies, $"{GemmEngine.FewRowBlocks} blocks are {rows} rows");
                }
            }
        }

        applied.Should().Be(2 * GemmWidths.All().Count(w => w != VectorWidth.Scalar));

        // Kernels of fewer than 8 rows with op(B)'s rows a page or more apart (GemmEngine.PageBytes): at most
        // FewRowBlocksPaged blocks. N = 1015 leaves a stored row of 1,023 floats (AutoReadsBInPlaceWithin pads each by
        // 8), just short of 4 KB; N = 1016 makes it 4 KB. The 8-row kernels keep eight blocks either way.
        int paged = 0;
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            int mr = GemmEngine.TileFor((int)w / 32).Mr;
            foreach (int n in new[] { 1015, 1016 })
            {
                bool pages = mr < 8 && sizeof(float) * (n + 8) >= GemmEngine.PageBytes;
                int rows = (pages ? GemmEngine.FewRowBlocksPaged : GemmEngine.FewRowBlocks) * mr;
                foreach (int m in new[] { GemmEngine.FewRowBlocksPaged * mr, (GemmEngine.FewRowBlocksPaged * mr) + 1, GemmEngine.FewRowBlocks * mr })
                {
                    GemmBlocking blocking = GemmEngine.BlockingFor(w) with { KC = 64, ParallelThreshold = long.MaxValue, DirectBytes = 0, ResidentBBytes = 0, FewTilesBBytes = 0 };
                    bool applies = m <= rows;
                    paged += pages && !applies ? 1 : 0;
                    AutoReadsBInPlaceWithin(
                        w, bytes => blocking with { FewRowsBBytes = bytes }, ta: false, tb: false, m, n, k: 200, rng, applies, $"B's rows {(n + 8) * sizeof(float)} bytes apart: {rows} rows");
                }
            }
        }

        paged.Should().Be(2 * GemmWidths.All().Count(w => w != VectorWidth.Scalar && GemmEngine.TileFor((int)w / 32).Mr < 8), "25 and 48 rows of 6 past a 4 KB row of B");
    }

    [Fact]
    public void Two_workers_split_C_where_the_largest_block_is_smaller()
    {
        // GemmEngine.LargestShare: the elements of the largest block, as RunParallel hands out whole units. A C of
        // 1,000 rows and 26 columns is one 48-column unit wide, so by columns one worker takes all of it; by 8-row units
        // each takes 504 rows or fewer (125 units: 62 and 63).
        GemmEngine.LargestShare(26, 48, 2, 1000).Should().Be(26 * 1000);
        GemmEngine.LargestShare(1000, 8, 2, 26).Should().Be(504 * 26);
        GemmEngine.SplitsByColumns(1000, 26, 8, 48, 2).Should().BeFalse("by columns one worker would take all 26");
        GemmEngine.SplitsByColumns(26, 1000, 8, 48, 2).Should().BeTrue("the transposed case: 26 rows are four 8-row units, 1,000 columns 21 units");

        // 2048 × 2048: 43 column units of 48 (the last 32 wide) give 21 and 22 units, the second ending at column 2048:
        // 1,040 columns; 256 row units give 1,024 rows each. By rows.
        GemmEngine.LargestShare(2048, 48, 2, 2048).Should().Be(1040 * 2048L);
        GemmEngine.LargestShare(2048, 8, 2, 2048).Should().Be(1024 * 2048L);
        GemmEngine.SplitsByColumns(2048, 2048, 8, 48, 2).Should().BeFalse();

        // A tie goes to columns when N ≥ M: 64 × 64 in 16-row and 16-column units.
        GemmEngine.SplitsByColumns(64, 64, 16, 16, 2).Should().BeTrue();
        GemmEngine.SplitsByColumns(64, 48, 16, 16, 2).Should().BeFalse("48 columns are three units, 64 rows four: rows split evenly");

        // A side shorter than one unit is taken whole; three workers on 7 units of 8 take 2, 2 and 3.
        GemmEngine.LargestShare(20, 48, 2, 100).Should().Be(20 * 100);
        GemmEngine.LargestShare(56, 8, 3, 10).Should().Be(24 * 10);
    }

    [Fact]
    public void The_direct_loops_take_short_K_in_4_row_tiles_while_C_fits_in_L1_where_512_bit_vectors_run_in_halves()
    {
        // GemmEngine.DirectRowBlock: C one vector wide → OneVectorRows (16 at 512 bits, 12 below, for short rows of A);
        // 512-bit vectors executed as two halves, K ≤ 16 and C no larger than L1d → 4 rows; else the kernel's MR.
        int l1Floats = GemmCacheInfo.Host.L1Bytes / sizeof(float);
        foreach (bool halves in new[] { true, false })
        {
            int shortK = halves ? 4 : 8;
            GemmEngine.DirectRowBlock(16, 64, 16, 5, 5, 8, halves).Should().Be(16);
            GemmEngine.DirectRowBlock(16, 64, 15, 128, 128, 8, halves).Should().Be(16);
            GemmEngine.DirectRowBlock(8, 64, 8, 5, 5, 6, halves).Should().Be(12);
            GemmEngine.DirectRowBlock(16, l1Floats / 128, 128, 5, 5, 8, halves).Should().Be(shortK);
            GemmEngine.DirectRowBlock(16, l1Floats / 128, 128, 16, 16, 8, halves).Should().Be(shortK);
            GemmEngine.DirectRowBlock(16, l1Floats / 128, 128, 17, 17, 8, halves).Should().Be(8);
            GemmEngine.DirectRowBlock(16, (l1Floats / 128) + 1, 128, 5, 5, 8, halves).Should().Be(8);
            GemmEngine.DirectRowBlock(16, 1024, 2048, 5, 5, 8, halves).Should().Be(8);
            GemmEngine.DirectRowBlock(8, 32, 128, 5, 5, 6, halves).Should().Be(6);
            GemmEngine.DirectRowBlock(4, 32, 128, 5, 5, 4, halves).Should().Be(4);
        }
    }

    [Fact]
    public void Every_row_count_of_a_short_K_product_is_the_FMA_chain_of_each_element()
    {
        // The direct loops group rows into kernel blocks by DirectRowBlock; with 4-row tiles (512-bit vectors in two
        // halves, K ≤ 16, C within L1d) a last 4 + 1 rows run as one block of 5 (RowBlocks). Whatever the grouping, each
        // element of C is one FMA chain over k from zero: M = 1–21 covers every remainder of 4, 6, 8 and 12 rows, K up to
        // 16 the short-K rule, and the widths of C here take no dot tail, so the scalar chain is exact (unfused where the
        // kernels' multiply-add is). Rows past M (and the gaps between C's rows) hold a sentinel that must survive: a
        // block of 5 run as one of 8 would write them.
        const float sentinel = -12345.5f;
        int cases = 0;
        foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
        {
            // Fused at 512 bits, and at 256 and 128 where the CPU has FMA (or is Arm64); a multiply and an add, each
            // rounded, on the CI legs without it.
            bool fused = w == VectorWidth.Bits512 || Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
            foreach (bool ta in new[] { false, true })
            {
                foreach (int n in new[] { 24, 40, 128 })
                {
                    foreach (int k in new[] { 1, 3, 8, 16 })
                    {
                        for (int m = 1; m <= 21; m++)
                        {
                            var rng = new Random((m * 1000) + (k * 10) + n + (ta ? 7 : 0));
                            (int lda, int ldb, int ldc) = (ta ? m + 1 : k + 1, n + 3, n + 2);
                            float[] a = Enumerable.Range(0, (ta ? k : m) * lda).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
                            float[] b = Enumerable.Range(0, k * ldb).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
                            float[] c = Enumerable.Repeat(sentinel, (m + 3) * ldc).ToArray();
                            using (KernelDispatch.Cap(w))
                            {
                                Gemm.Compute(ta, false, m, n, k, a, lda, b, ldb, c, ldc, accumulate: false);
                            }

                            for (int i = 0; i < m + 3; i++)
                            {
                                for (int j = 0; j < ldc; j++)
                                {
                                    float expected = sentinel;
                                    if (i < m && j < n)
                                    {
                                        expected = 0f;
                                        for (int p = 0; p < k; p++)
                                        {
                                            float aip = ta ? a[(p * lda) + i] : a[(i * lda) + p];
                                            expected = fused ? MathF.FusedMultiplyAdd(aip, b[(p * ldb) + j], expected) : (aip * b[(p * ldb) + j]) + expected;
                                        }
                                    }

                                    if (BitConverter.SingleToInt32Bits(c[(i * ldc) + j]) != BitConverter.SingleToInt32Bits(expected))
                                    {
                                        Assert.Fail($"{(ta ? "Aᵀ" : "A")}·B {m}×{k}×{n} at {w}: C[{i}, {j}] is {c[(i * ldc) + j]:R}, the FMA chain {expected:R}.");
                                    }
                                }
                            }

                            cases++;
                        }
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count(w => w != VectorWidth.Scalar) * 2 * 3 * 4 * 21);
    }

    [Fact]
    public void AMD_reports_full_width_512_bit_units_in_bit_3_of_leaf_0x8000001A()
    {
        HostVectorUnits.SplitsFromAmdOptimizationLeaf(0xA).Should().BeFalse("an AMD EPYC family 26 (Zen 5) returned 0xA: MOVU and FP512");
        HostVectorUnits.SplitsFromAmdOptimizationLeaf(0x6).Should().BeTrue("FP256 and MOVU without FP512: 512-bit work in two halves");
        HostVectorUnits.SplitsFromAmdOptimizationLeaf(0).Should().BeTrue("a hidden leaf reads as zero; assume halves, the older AVX-512 cores' way");

        // The host's answer: false without AVX-512 or on a non-AMD CPU; on AMD the leaf's bit (or "split" where it is hidden);
        // with AVX-512, GANCORE_SPLIT_VECTOR512=1 or 0 instead (CI's leg-other512, which sets the other kind's value).
        bool expected = false;
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            (bool amd, uint maxExtended) = GemmCacheInfo.X86Vendor();
            expected = amd && HostVectorUnits.SplitsFromAmdOptimizationLeaf(maxExtended >= 0x8000001A ? System.Runtime.Intrinsics.X86.X86Base.CpuId(unchecked((int)0x8000001A), 0).Eax : 0);
            expected = HostVectorUnits.Override ?? expected;
        }

        HostVectorUnits.SplitsVector512.Should().Be(expected);
    }

    [Fact]
    public void Rows_of_A_in_L1_sets_leave_two_ways_to_B_and_C_but_take_at_least_one_per_set()
    {
        GemmEngine.RowsInSets(1, 8).Should().Be(6, "Zen 4's 8 ways: six rows of A in one set beside B's and C's lines");
        GemmEngine.RowsInSets(1, 12).Should().Be(10);
        GemmEngine.RowsInSets(8, 8).Should().Be(48, "rows spread over eight sets");
        GemmEngine.RowsInSets(1, 2).Should().Be(1, "a 2-way L1d (Cortex-A72): one row per set, not none");
        GemmEngine.RowsInSets(1024, 2).Should().Be(1024, "rows 20 bytes apart on a 2-way L1d spread over its sets");
    }

    [Fact]
    public void One_vector_wide_C_takes_fewer_rows_when_the_rows_of_A_share_an_L1_set()
    {
        // GemmEngine.OneVectorRows: rows of A whose stride is a multiple of the L1 way size all land in one set, and at
        // most ways − 2 of them (at least one, on a 2-way L1d) may stream at once (then 16 at 512 bits, 12, 8, 6 or 4, the
        // row counts with a looped kernel); rows that cycle through g sets may be g times as many.
        int ways = GemmCacheInfo.Host.L1Ways;
        int room = Math.Max(ways - 2, 1);
        int wayFloats = GemmCacheInfo.Host.L1Bytes / ways / sizeof(float);
        foreach (int lanes in new[] { 16, 8, 4 })
        {
            int most = lanes == 16 ? 16 : 12;
            int Largest(long limit) => limit >= most ? most : limit >= 12 ? 12 : limit >= 8 ? 8 : limit >= 6 ? 6 : 4;
            GemmEngine.OneVectorRows(lanes, wayFloats).Should().Be(Largest(room));
            GemmEngine.OneVectorRows(lanes, 2 * wayFloats).Should().Be(Largest(room));
            GemmEngine.OneVectorRows(lanes, wayFloats / 2).Should().Be(Largest(2L * room));
            GemmEngine.OneVectorRows(lanes, 128).Should().Be(Largest(wayFloats / 128L * room));
            GemmEngine.OneVectorRows(lanes, wayFloats + 16).Should().Be(most);
            GemmEngine.OneVectorRows(lanes, 15).Should().Be(most);
        }
    }

    [Theory]
    [InlineData(64, 17, 300)]
    [InlineData(37, 100, 70)]
    [InlineData(130, 61, 33)]
    public void A_forced_blocking_that_is_not_a_multiple_of_the_micro_tile_computes_the_product(int m, int n, int k)
    {
        // MC and NC that are not multiples of MR and NR (and a KC that is not a multiple of 8): PackA and PackB write whole
        // slivers, so the pack buffers must be sized from the rounded-up blocks. They once were not, and such a blocking
        // (gemm-ratios --blocking takes any) wrote past them.
        GemmBlocking[] blockings =
        [
            new(KC: 60, MC: 20, NC: 20, ParallelThreshold: long.MaxValue, StreamBytes: 4096, StreamChunk: 8, DirectBytes: 0),
            new(KC: 37, MC: 13, NC: 50, ParallelThreshold: long.MaxValue, StreamBytes: 4096, StreamChunk: 8, DirectBytes: 0),
        ];
        foreach ((bool ta, bool tb) in Forms)
        {
            var test = new GemmCase(ta, tb, m, n, k, accumulate: false, padA: 1, padB: 2, padC: 1, seed: m + n + k);
            foreach (VectorWidth w in GemmWidths.All())
            {
                foreach (GemmBlocking blocking in blockings)
                {
                    test.Verify(w, GemmPath.Packed, blocking);
                }
            }
        }
    }

    /// <summary>Fails, naming the first differing element, unless the padded product and its slices of
    /// <paramref name="rowsPerSlice"/> rows agree bit for bit.</summary>
    private static void AssertPaddedMatchesSlices(Matrix whole, Matrix sliced, string what, int rowsPerSlice = 8)
    {
        int n = whole.Columns;
        for (int e = 0; e < whole.Rows * n; e++)
        {
            if (BitConverter.SingleToInt32Bits(whole.Span[e]) != BitConverter.SingleToInt32Bits(sliced.Span[e]))
            {
                Assert.Fail($"{what}: C[{e / n}, {e % n}] is {whole.Span[e]:R} from the padded copy, {sliced.Span[e]:R} in {rowsPerSlice}-row slices.");
            }
        }
    }

    private static Matrix RandomMatrix(Random rng, int rows, int columns, float range)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                m[i, j] = ((float)rng.NextDouble() - 0.5f) * range;
            }
        }

        return m;
    }

    private static Matrix Copy(Matrix source)
    {
        var copy = new Matrix(source.Rows, source.Columns);
        source.CopyTo(copy);
        return copy;
    }

    private static void Restore(Matrix target, float[,] values)
    {
        for (int i = 0; i < target.Rows; i++)
        {
            for (int j = 0; j < target.Columns; j++)
            {
                target[i, j] = values[i, j];
            }
        }
    }
}

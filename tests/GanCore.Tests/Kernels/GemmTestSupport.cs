using GanCore.Kernels;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The one tolerance rule every GEMM test uses: |got − ref| ≤ C · (K + 2) · ε · (Σ_p |a_ip·b_pj| + |c_ij before|) + floor,
/// where ref is the double-accumulated <see cref="GemmReference"/>, ε = 2⁻²³ (float machine epsilon), and the K + 2
/// covers the K FMA roundings plus the final add into C and the packed path's per-KC-block adds.
/// </summary>
internal static class GemmTolerance
{
    /// <summary>The constant c of the bound. A worst-case recursive float sum stays within K·ε·Σ|terms|; real errors are far smaller.</summary>
    public const double C = 1.0;

    /// <summary>Machine epsilon of float32.</summary>
    public const double Epsilon = 1.0 / (1 << 23);

    /// <summary>An absolute floor, far below any value the tests produce, so exact zeros compare equal.</summary>
    public const double Floor = 1e-30;

    /// <summary>Extra allowance for an activation after the product (the vector Exp is accurate to a few ulp).</summary>
    public const double ActivationAbsolute = 4e-7;

    public static double Bound(int k, double scale) => (C * (k + 2) * Epsilon * scale) + Floor;
}

/// <summary>The vector widths this process can run, narrowest last (<see cref="KernelWidths.Available"/> reversed).</summary>
internal static class GemmWidths
{
    public static IEnumerable<VectorWidth> All() => KernelWidths.Available.Reverse();
}

/// <summary>
/// One GEMM problem with random operands, padded row strides and sentinel values in the gaps, and its reference
/// result. <see cref="Verify"/> runs the kernel at a given width and path and checks every element and every gap.
/// </summary>
internal sealed class GemmCase
{
    private const float Sentinel = -12345.678f;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _c0;
    private readonly float[] _expected;
    private readonly double[] _scale;
    private readonly float[] _c;

    /// <summary>The elements each operand's shape reaches, the span length <see cref="Gemm.Compute"/> accepts.</summary>
    private readonly (int A, int B, int C) _used;

    public GemmCase(bool transposeA, bool transposeB, int m, int n, int k, bool accumulate, int padA, int padB, int padC, int seed)
    {
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        Accumulate = accumulate;
        (int aRows, int aCols) = transposeA ? (k, m) : (m, k);
        (int bRows, int bCols) = transposeB ? (n, k) : (k, n);
        Lda = aCols + padA;
        Ldb = bCols + padB;
        Ldc = n + padC;
        _used = ((int)Matrix.RequiredLength(aRows, aCols, Lda), (int)Matrix.RequiredLength(bRows, bCols, Ldb), (int)Matrix.RequiredLength(m, n, Ldc));
        var rng = new Random(seed);
        _a = Fill(rng, aRows, aCols, Lda);
        _b = Fill(rng, bRows, bCols, Ldb);
        _c0 = Fill(rng, m, n, Ldc);
        _c = new float[_c0.Length];
        _expected = (float[])_c0.Clone();
        GemmReference.Compute(transposeA, transposeB, m, n, k, _a, Lda, _b, Ldb, _expected, Ldc, accumulate);
        _scale = new double[m * n];
        GemmReference.AbsoluteProducts(transposeA, transposeB, m, n, k, _a, Lda, _b, Ldb, _scale);
        if (accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    _scale[(i * n) + j] += Math.Abs(_c0[(i * Ldc) + j]);
                }
            }
        }
    }

    public bool TransposeA { get; }

    public bool TransposeB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public bool Accumulate { get; }

    public int Lda { get; }

    public int Ldb { get; }

    public int Ldc { get; }

    public override string ToString() =>
        $"{(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} M={M} N={N} K={K} acc={Accumulate} lda={Lda} ldb={Ldb} ldc={Ldc}";

    /// <summary>The result of the last <see cref="Verify"/> (C with its gaps).</summary>
    public float[] Result => _c;

    /// <summary>Runs the GEMM at <paramref name="width"/> on <paramref name="path"/> (with <paramref name="blocking"/>
    /// forced, or the host's) and checks it against the reference.</summary>
    public void Verify(VectorWidth width, GemmPath path, GemmBlocking? blocking = null)
    {
        _c0.CopyTo(_c, 0);
        Compute(width, path, blocking, _a, _b, _c);
        Check(width, path);
    }

    /// <summary>As <see cref="Verify"/>, with each operand cut to the elements its shape reaches (the span length
    /// <see cref="Gemm.Compute"/> accepts, ending at the last used element) and placed flush against an inaccessible
    /// page (<see cref="GuardedMemory"/>): a kernel that reads A or B, or reads or writes C, one element outside the
    /// span faults.</summary>
    public void VerifyGuarded(VectorWidth width, GemmPath path, GemmBlocking? blocking, GuardedMemory.Placement placement)
    {
        _c0.CopyTo(_c, 0);
        using (var a = GuardedMemory.CopyOf(_a.AsSpan(0, _used.A), placement))
        using (var b = GuardedMemory.CopyOf(_b.AsSpan(0, _used.B), placement))
        using (var c = GuardedMemory.CopyOf(_c.AsSpan(0, _used.C), placement))
        {
            Compute(width, path, blocking, a.Span, b.Span, c.Span);
            c.Span.CopyTo(_c);
        }

        Check(width, $"{path}, {(blocking is null ? "host blocking" : "forced blocking")}, guarded {placement}");
    }

    /// <summary>The product on these spans at <paramref name="width"/> on <paramref name="path"/>, with
    /// <paramref name="blocking"/> forced or the host's.</summary>
    private void Compute(VectorWidth width, GemmPath path, GemmBlocking? blocking, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        using (KernelDispatch.Cap(width))
        using (GemmEngine.ForcePath(path))
        using (GemmEngine.ForceBlocking(blocking ?? GemmEngine.BlockingFor(width)))
        {
            Gemm.Compute(TransposeA, TransposeB, M, N, K, a, Lda, b, Ldb, c, Ldc, Accumulate);
        }
    }

    private void Check(VectorWidth width, object path)
    {
        int ldc = Math.Max(Ldc, 1);
        for (int idx = 0; idx < _c.Length; idx++)
        {
            int i = idx / ldc;
            int j = idx % ldc;
            if (i >= M || j >= N)
            {
                if (BitConverter.SingleToInt32Bits(_c[idx]) != BitConverter.SingleToInt32Bits(_c0[idx]))
                {
                    Assert.Fail($"{this} width={width} path={path}: element {idx} outside C was overwritten with {_c[idx]}.");
                }

                continue;
            }

            double error = Math.Abs((double)_c[idx] - _expected[idx]);
            double bound = GemmTolerance.Bound(K, _scale[(i * N) + j]);
            if (!(error <= bound))
            {
                Assert.Fail($"{this} width={width} path={path}: C[{i}, {j}] = {_c[idx]}, expected {_expected[idx]} (error {error:E3} > bound {bound:E3}).");
            }
        }
    }

    /// <summary>Random values in [−1, 1) at the used elements, the sentinel in the gaps between rows.</summary>
    private static float[] Fill(Random rng, int rows, int columns, int stride)
    {
        var data = new float[Math.Max(rows * stride, 1)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (i % Math.Max(stride, 1)) < columns ? (float)((rng.NextDouble() * 2) - 1) : Sentinel;
        }

        return data;
    }
}

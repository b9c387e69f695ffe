using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary>
/// <see cref="OptimizerKernels"/> against <see cref="ElementwiseReference.Adam"/> and <see cref="ElementwiseReference.Sgd"/>
/// at every length 0..256, every accelerated width and five consecutive steps, plus hand-computed steps.
/// </summary>
public class OptimizerKernelTests
{
    // The kernel works in float with FMA; the reference in double (rounding its state to float each step).
    // After each of five steps every value must agree to RelTol relative to (|value| + floor), where the floor is
    // the magnitude of the terms that may cancel: for p the learning rate (one update); for m and the SGD
    // velocity the gradient scale of the β·m + (1 − β)·g or μ·b + g sums (|g| ≤ 1, so ≤ 0.1 for m, and a few
    // ulp of |b| ≤ 5 over five steps for b, so 0.1 too: 1e-6 absolute); for v, which sums positive terms, lr².
    private const double RelTol = 1e-5;
    private const double MomentFloor = 0.1;
    private const int Steps = 5;
    private const float Lr = 1e-3f;

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double floor, string what)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = RelTol * (Math.Abs(expected[i]) + floor);
            if (!(Math.Abs(actual[i] - (double)expected[i]) <= bound))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, expected {expected[i]:R} (bound {bound:E2}).");
            }
        }
    }

    internal static float[] Gradients(RandomSource rng, int n)
    {
        var g = new float[n];
        rng.FillUniform(g, -1f, 1f);
        for (int i = 0; i < n; i += 7)
        {
            g[i] = 0f; // exact zeros: v stays 0 there at step 1 and ε alone keeps the division finite
        }

        return g;
    }

    public static TheoryData<float, bool> AdamSettings => new()
    {
        { 0f, false },    // plain Adam
        { 0.05f, false }, // coupled L2: λ·p joins the gradient
        { 0.05f, true },  // AdamW: decoupled shrink by 1 − lr·λ
    };

    [Theory]
    [MemberData(nameof(AdamSettings))]
    public void Adam_matches_reference_for_five_steps_at_every_length_and_width(float weightDecay, bool decoupled)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        var rng = new RandomSource(2001);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    var p = new float[n];
                    rng.FillUniform(p, -1f, 1f);
                    float[] pRef = (float[])p.Clone();
                    var guardedP = new Guarded(n, n % 3);
                    p.CopyTo(guardedP.Span);
                    var m = new Guarded(n, (n + 1) % 3);
                    var v = new Guarded(n, (n + 2) % 3);
                    m.Span.Clear();
                    v.Span.Clear();
                    var mRef = new float[n];
                    var vRef = new float[n];
                    for (long step = 1; step <= Steps; step++)
                    {
                        float[] g = Gradients(rng, n);
                        var c = new AdamCoefficients(Lr, beta1, beta2, eps, weightDecay, decoupled, step);
                        OptimizerKernels.Adam(guardedP.Span, g, m.Span, v.Span, c);
                        ElementwiseReference.Adam(pRef, g, mRef, vRef, Lr, beta1, beta2, eps, weightDecay, decoupled, step);
                        string what = $"n={n} width={width} step={step} λ={weightDecay} decoupled={decoupled}";
                        AssertClose(pRef, guardedP.Span, Lr, "p " + what);
                        AssertClose(mRef, m.Span, MomentFloor, "m " + what);
                        AssertClose(vRef, v.Span, Lr * Lr, "v " + what);
                    }

                    guardedP.AssertGuardsIntact("p");
                    m.AssertGuardsIntact("m");
                    v.AssertGuardsIntact("v");
                }
            }
        }
    }

    public static TheoryData<float, bool, float> SgdSettings => new()
    {
        { 0f, false, 0f },      // plain SGD (no velocity buffer needed)
        { 0f, false, 0.01f },   // weight decay only
        { 0.9f, false, 0f },    // heavy-ball momentum
        { 0.9f, true, 0f },     // Nesterov
        { 0.9f, true, 0.01f },  // Nesterov with weight decay
    };

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void Sgd_matches_reference_for_five_steps_at_every_length_and_width(float momentum, bool nesterov, float weightDecay)
    {
        var rng = new RandomSource(2002);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    var p = new Guarded(n, n % 4);
                    rng.FillUniform(p.Span, -1f, 1f);
                    float[] pRef = p.Span.ToArray();
                    var b = new Guarded(momentum == 0f ? 0 : n, (n + 1) % 4);
                    b.Span.Clear();
                    float[] bRef = new float[n];
                    for (int step = 1; step <= Steps; step++)
                    {
                        float[] g = Gradients(rng, n);
                        OptimizerKernels.Sgd(p.Span, g, b.Span, Lr, momentum, nesterov, weightDecay);
                        ElementwiseReference.Sgd(pRef, g, bRef, Lr, momentum, nesterov, weightDecay);
                        string what = $"n={n} width={width} step={step} μ={momentum} nesterov={nesterov} λ={weightDecay}";
                        AssertClose(pRef, p.Span, Lr, "p " + what);
                        if (momentum != 0f)
                        {
                            AssertClose(bRef, b.Span, MomentFloor, "velocity " + what);
                        }
                    }

                    p.AssertGuardsIntact("p");
                    b.AssertGuardsIntact("velocity");
                }
            }
        }
    }

    private const float SmallestNormal = 1.17549435E-38f; // 2⁻¹²⁶

    [Fact]
    public void The_update_kernels_report_whether_every_value_they_wrote_is_finite_at_every_length_and_width()
    {
        // The GAN skips its own scan of the parameters when the optimizer reports them finite, so a NaN or ±∞ written
        // anywhere — first element, last (the masked tail), or the middle — must make the kernel say false.
        var rng = new RandomSource(2026);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 1; n <= 70; n++)
                {
                    foreach (int bad in new[] { -1, 0, n / 2, n - 1 })
                    {
                        foreach (int kind in new[] { 0, 1, 2 })
                        {
                            string what = $"n={n} width={width} bad={bad} kind={kind}";
                            float poison = bad < 0 ? 0f : kind switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
                            float[] p = new float[n];
                            rng.FillUniform(p, -1f, 1f);
                            float[] g = Gradients(rng, n);
                            if (bad >= 0)
                            {
                                p[bad] = poison;
                            }

                            bool adam = OptimizerKernels.Adam((float[])p.Clone(), g, new float[n], new float[n], new AdamCoefficients(Lr, 0.9f, 0.999f, 1e-8f, 0f, false, 3));
                            bool plain = OptimizerKernels.Sgd((float[])p.Clone(), g, Span<float>.Empty, Lr, 0f, false, 0f);
                            bool momentum = OptimizerKernels.Sgd((float[])p.Clone(), g, new float[n], Lr, 0.9f, true, 1e-4f);
                            adam.Should().Be(bad < 0, "Adam, {0}", what);
                            plain.Should().Be(bad < 0, "SGD, {0}", what);
                            momentum.Should().Be(bad < 0, "SGD with momentum, {0}", what);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void An_optimizer_vouches_for_its_parameters_only_after_a_step_it_checked_and_never_with_weight_clipping()
    {
        var random = new RandomSource(5);
        var layer = new Dense(3, 2, random);
        var adam = new Adam(layer.Parameters, 1e-3f);
        adam.ValuesVerifiedFinite.Should().BeFalse("no step has run");
        adam.Step();
        adam.ValuesVerifiedFinite.Should().BeTrue();
        layer.Parameters[0].Gradient.Span[1] = float.PositiveInfinity;
        adam.Step();
        adam.ValuesVerifiedFinite.Should().BeFalse("an infinite gradient makes a NaN weight");
        layer.Parameters[0].Value.Span.ToArray().Should().Contain(float.NaN);

        var clipped = new Dense(3, 2, random);
        var sgd = new Sgd(clipped.Parameters, 1e-3f) { WeightClip = 0.01f };
        sgd.Step();
        sgd.ValuesVerifiedFinite.Should().BeFalse("clamping changes the values after the kernels saw them");
    }

    private static bool IsSubnormal(float x) => x != 0f && MathF.Abs(x) < SmallestNormal;

    /// <summary>State values around the bottom of the normal range, both signs, for elements whose gradient is 0:
    /// after one decay by β (0.9 or 0.999) some land below 2⁻¹²⁶ and must become 0, the others must stay.</summary>
    private static float[] EdgeOfNormal(int n, float beta, out bool[] mustFlush)
    {
        float[] factors = [0.5f, 1f + ((1f - beta) / 2f), 1f + (3f * (1f - beta)), 4f, 1e3f];
        var values = new float[n];
        mustFlush = new bool[n];
        for (int i = 0; i < n; i++)
        {
            float f = i % 9 == 8 ? 0f : factors[i % factors.Length];
            float value = i % 9 == 7 ? float.Epsilon : f * SmallestNormal; // also the smallest subnormal itself
            values[i] = i % 2 == 0 ? value : -value;
            mustFlush[i] = beta * MathF.Abs(values[i]) < SmallestNormal;
        }

        return values;
    }

    [Fact]
    public void Adam_flushes_moments_that_decay_below_the_normal_range_and_moves_no_parameter_at_every_length_and_width()
    {
        // With g = 0 the moments only decay: m ← β1·m, v ← β2·v. Every value that lands below 2⁻¹²⁶ must be stored as
        // 0 (a dead unit's m would otherwise stick at the smallest subnormal), every value above must stay exactly
        // β·value, the kernel must equal the reference bit for bit, and no parameter may move.
        const float beta1 = 0.9f, beta2 = 0.999f;
        var rng = new RandomSource(2003);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= 70; n++)
                {
                    float[] p = new float[n];
                    rng.FillUniform(p, -1f, 1f);
                    float[] pStart = (float[])p.Clone();
                    float[] pRef = (float[])p.Clone();
                    float[] m = EdgeOfNormal(n, beta1, out bool[] flushM);
                    float[] v = EdgeOfNormal(n, beta2, out bool[] flushV);
                    for (int i = 0; i < n; i++)
                    {
                        v[i] = MathF.Abs(v[i]); // a second moment is never negative
                    }

                    float[] mStart = (float[])m.Clone();
                    float[] vStart = (float[])v.Clone();
                    float[] mRef = (float[])m.Clone();
                    float[] vRef = (float[])v.Clone();
                    var g = new float[n];
                    OptimizerKernels.Adam(p, g, m, v, new AdamCoefficients(Lr, beta1, beta2, 1e-8f, 0f, false, 100));
                    ElementwiseReference.Adam(pRef, g, mRef, vRef, Lr, beta1, beta2, 1e-8f, 0f, false, 100);
                    string what = $"n={n} width={width}";
                    for (int i = 0; i < n; i++)
                    {
                        IsSubnormal(m[i]).Should().BeFalse("m[{0}] {1} is {2:R}", i, what, m[i]);
                        IsSubnormal(v[i]).Should().BeFalse("v[{0}] {1} is {2:R}", i, what, v[i]);
                        BitConverter.SingleToInt32Bits(m[i]).Should().Be(BitConverter.SingleToInt32Bits(mRef[i]), "m[{0}] kernel = reference, {1}", i, what);
                        BitConverter.SingleToInt32Bits(v[i]).Should().Be(BitConverter.SingleToInt32Bits(vRef[i]), "v[{0}] kernel = reference, {1}", i, what);
                        m[i].Should().Be(flushM[i] ? 0f : beta1 * mStart[i], "m[{0}] = {1:R}·0.9 {2}", i, mStart[i], what);
                        v[i].Should().Be(flushV[i] ? 0f : beta2 * vStart[i], "v[{0}] = {1:R}·0.999 {2}", i, vStart[i], what);
                        p[i].Should().Be(pStart[i], "a moment this small moves no parameter, p[{0}] {1}", i, what);
                        pRef[i].Should().Be(pStart[i], "reference p[{0}] {1}", i, what);
                    }
                }
            }
        }
    }

    [Fact]
    public void Sgd_flushes_a_decaying_velocity_and_a_decaying_parameter_at_every_length_and_width()
    {
        // Momentum μ = 0.9 with g = 0: b ← 0.9·b, and p ← p − lr·b. Weight decay λ with lr·λ = 0.5 and g = 0 halves
        // p each step: a parameter this small that lands below 2⁻¹²⁶ becomes 0, as the reference says.
        var rng = new RandomSource(2004);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= 70; n++)
                {
                    string what = $"n={n} width={width}";
                    float[] p = new float[n];
                    rng.FillUniform(p, -1f, 1f);
                    float[] pStart = (float[])p.Clone();
                    float[] b = EdgeOfNormal(n, 0.9f, out bool[] flushB);
                    float[] bStart = (float[])b.Clone();
                    float[] bRef = (float[])b.Clone();
                    float[] pRef = (float[])p.Clone();
                    var g = new float[n];
                    OptimizerKernels.Sgd(p, g, b, Lr, 0.9f, false, 0f);
                    ElementwiseReference.Sgd(pRef, g, bRef, Lr, 0.9f, false, 0f);
                    for (int i = 0; i < n; i++)
                    {
                        b[i].Should().Be(flushB[i] ? 0f : 0.9f * bStart[i], "velocity[{0}] {1}", i, what);
                        bRef[i].Should().Be(b[i], "reference velocity[{0}] {1}", i, what);
                        p[i].Should().Be(pStart[i], "p[{0}] {1}", i, what);
                        pRef[i].Should().Be(pStart[i], "reference p[{0}] {1}", i, what);
                    }

                    float[] small = EdgeOfNormal(n, 0.5f, out bool[] flushP);
                    float[] smallStart = (float[])small.Clone();
                    float[] smallRef = (float[])small.Clone();
                    OptimizerKernels.Sgd(small, new float[n], Span<float>.Empty, 0.5f, 0f, false, 1f);
                    ElementwiseReference.Sgd(smallRef, new float[n], Span<float>.Empty, 0.5f, 0f, false, 1f);
                    for (int i = 0; i < n; i++)
                    {
                        small[i].Should().Be(flushP[i] ? 0f : 0.5f * smallStart[i], "decayed p[{0}] = {1:R}·0.5 {2}", i, smallStart[i], what);
                        smallRef[i].Should().Be(small[i], "reference decayed p[{0}] {1}", i, what);
                    }
                }
            }
        }
    }

    [Fact]
    public void Flushing_keeps_normal_values_NaN_and_infinities_and_zeroes_only_subnormals()
    {
        float below = MathF.BitDecrement(SmallestNormal);
        (float In, float Out)[] cases =
        [
            (SmallestNormal, SmallestNormal), (-SmallestNormal, -SmallestNormal), (below, 0f), (-below, 0f),
            (float.Epsilon, 0f), (-float.Epsilon, 0f), (0f, 0f), (-0f, 0f), (1f, 1f), (-3e-38f, -3e-38f),
            (float.MaxValue, float.MaxValue), (float.PositiveInfinity, float.PositiveInfinity),
            (float.NegativeInfinity, float.NegativeInfinity), (float.NaN, float.NaN),
        ];
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                // Every case at every lane position and in the masked tail: lengths 1..70, the cases repeated.
                for (int n = 1; n <= 70; n++)
                {
                    float[] x = Enumerable.Range(0, n).Select(i => cases[i % cases.Length].In).ToArray();
                    var y = new float[n];
                    Elementwise.Map(default(FlushOp), x, y);
                    for (int i = 0; i < n; i++)
                    {
                        float expected = cases[i % cases.Length].Out;
                        BitConverter.SingleToInt32Bits(y[i]).Should().Be(BitConverter.SingleToInt32Bits(expected), "flush({0:R}) at {1} of {2}, width {3}", x[i], i, n, width);
                        BitConverter.SingleToInt32Bits(ElementwiseReference.FlushSubnormal(x[i])).Should().Be(BitConverter.SingleToInt32Bits(expected), "reference flush({0:R})", x[i]);
                    }
                }
            }
        }
    }

    private readonly struct FlushOp : IUnaryOp
    {
        public TV Invoke<TS, TV>(TV x)
            where TS : ISimd<TV>
            where TV : struct => TS.FlushSubnormal(x);
    }

    [Fact]
    public void First_Adam_step_moves_each_parameter_by_about_lr_times_the_sign_of_its_gradient()
    {
        // Step 1 from m = v = 0, lr = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8:
        //   m = 0.1·g, v = 0.001·g², m̂ = m/0.1 = g, v̂ = v/0.001 = g², so the update is lr·g/(|g| + ε).
        //   p = 0.5,  g = 0.1:   update = 1e-3·0.1/(0.1 + 1e-8) = 9.999999e-4 → p = 0.4990000001 ≈ 0.499
        //   p = −1,   g = −0.2:  update = −1e-3·(1 − 5e-8)                    → p = −0.99900000005 ≈ −0.999
        //   p = 2,    g = 1e-8:  ε is as large as |g|: update = 1e-3·1e-8/(2e-8) = 5e-4 → p = 1.9995
        //   m = [0.01, −0.02, 1e-9], v = [1e-5, 4e-5, 1e-19] up to the float constants: 1 − 0.999f is
        //   0.000999987 (1.3e-5 relative below 0.001), and the bias correction uses the same float β2, so p is unaffected.
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                float[] p = [0.5f, -1f, 2f];
                float[] g = [0.1f, -0.2f, 1e-8f];
                var m = new float[3];
                var v = new float[3];
                OptimizerKernels.Adam(p, g, m, v, new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1));
                p[0].Should().BeApproximately(0.499f, 1e-7f);
                p[1].Should().BeApproximately(-0.999f, 1e-7f);
                p[2].Should().BeApproximately(1.9995f, 2e-7f);
                m[0].Should().BeApproximately(0.01f, 1e-8f);
                m[1].Should().BeApproximately(-0.02f, 2e-8f);
                m[2].Should().BeApproximately(1e-9f, 1e-15f);
                v[0].Should().BeApproximately(1e-5f, 2e-10f);
                v[1].Should().BeApproximately(4e-5f, 8e-10f);
                v[2].Should().BeApproximately(1e-19f, 2e-24f);
            }
        }
    }

    [Fact]
    public void Coupled_L2_and_decoupled_AdamW_differ_as_computed_by_hand()
    {
        // p = 0.5, g = 0.1, λ = 0.1, lr = 1e-3, step 1 from m = v = 0 (ε negligible):
        //   coupled L2: g' = g + λp = 0.15, and step 1 normalizes it away: p = 0.5 − 1e-3 = 0.499.
        //   AdamW:      p = (1 − lr·λ)·0.5 − 1e-3 = 0.49995 − 0.001 = 0.49895.
        //   With g = 0.1 and p = −5: L2 gives g' = 0.1 − 0.5 = −0.4, so the step flips sign: p = −5 + 1e-3 = −4.999.
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                float[] coupled = [0.5f, -5f];
                float[] decoupled = [0.5f, -5f];
                float[] g = [0.1f, 0.1f];
                OptimizerKernels.Adam(coupled, g, new float[2], new float[2], new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, false, 1));
                OptimizerKernels.Adam(decoupled, g, new float[2], new float[2], new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, true, 1));
                coupled[0].Should().BeApproximately(0.499f, 1e-7f);
                coupled[1].Should().BeApproximately(-4.999f, 1e-6f);
                decoupled[0].Should().BeApproximately(0.49895f, 1e-7f);
                decoupled[1].Should().BeApproximately((-5f * 0.9999f) - 0.001f, 1e-6f); // −4.9995 − 0.001 = −5.0005
            }
        }
    }

    [Fact]
    public void Sgd_hand_computed_momentum_and_Nesterov()
    {
        // p = 1, g = 0.5, lr = 0.1, μ = 0.9, λ = 0.
        //   heavy ball: b1 = 0.5,  p1 = 1 − 0.05 = 0.95;        b2 = 0.9·0.5 + 0.5 = 0.95, p2 = 0.95 − 0.095 = 0.855
        //   Nesterov:   b1 = 0.5, d = 0.5 + 0.45 = 0.95, p1 = 0.905; b2 = 0.95, d = 0.5 + 0.855 = 1.355, p2 = 0.7695
        //   with λ = 0.2 and μ = 0: g' = 0.5 + 0.2·1 = 0.7, p1 = 0.93.
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                float[] heavy = [1f];
                float[] heavyB = [0f];
                float[] nesterov = [1f];
                float[] nesterovB = [0f];
                float[] g = [0.5f];
                OptimizerKernels.Sgd(heavy, g, heavyB, 0.1f, 0.9f, false, 0f);
                OptimizerKernels.Sgd(nesterov, g, nesterovB, 0.1f, 0.9f, true, 0f);
                heavy[0].Should().BeApproximately(0.95f, 1e-7f);
                nesterov[0].Should().BeApproximately(0.905f, 1e-7f);
                OptimizerKernels.Sgd(heavy, g, heavyB, 0.1f, 0.9f, false, 0f);
                OptimizerKernels.Sgd(nesterov, g, nesterovB, 0.1f, 0.9f, true, 0f);
                heavyB[0].Should().BeApproximately(0.95f, 1e-7f);
                heavy[0].Should().BeApproximately(0.855f, 1e-7f);
                nesterov[0].Should().BeApproximately(0.7695f, 1e-7f);

                float[] decayed = [1f];
                OptimizerKernels.Sgd(decayed, g, Span<float>.Empty, 0.1f, 0f, false, 0.2f);
                decayed[0].Should().BeApproximately(0.93f, 1e-7f);
            }
        }
    }

    [Fact]
    public void Adam_coefficients_hold_the_bias_corrections()
    {
        var c = new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, false, 2);
        // lr/(1 − β1²) ≈ 1e-3/0.19 and 1/√(1 − β2²) ≈ 1/√0.001999, with the float constants as given.
        double beta1 = 0.9f, beta2 = 0.999f, lr = 1e-3f;
        c.StepSize.Should().BeApproximately((float)(lr / (1 - (beta1 * beta1))), 1e-10f);
        c.StepSize.Should().BeApproximately(1e-3f / 0.19f, 1e-8f);
        c.InverseSqrtCorrection2.Should().BeApproximately((float)(1 / Math.Sqrt(1 - (beta2 * beta2))), 1e-5f);
        c.InverseSqrtCorrection2.Should().BeApproximately(22.3663f, 1e-3f);
        c.L2.Should().Be(0.01f);
        c.Shrink.Should().Be(1f);
        var w = new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 2);
        w.L2.Should().Be(0f);
        w.Shrink.Should().Be(1f - 1e-5f);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Adam_coefficients_reject_a_step_below_one(long badStep)
    {
        // Step 0 would make 1 − β1^0 = 0 and the step size infinite: every parameter would become ±∞ or NaN.
        FluentActions.Invoking(() => new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, badStep))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("step");
    }

    [Fact]
    public void Optimizer_kernels_reject_length_mismatches()
    {
        var c = new AdamCoefficients(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 1);
        FluentActions.Invoking(() => OptimizerKernels.Adam(new float[4], new float[3], new float[4], new float[4], c)).Should().Throw<ArgumentException>().WithParameterName("gradients");
        FluentActions.Invoking(() => OptimizerKernels.Adam(new float[4], new float[4], new float[5], new float[4], c)).Should().Throw<ArgumentException>().WithParameterName("m");
        FluentActions.Invoking(() => OptimizerKernels.Adam(new float[4], new float[4], new float[4], new float[3], c)).Should().Throw<ArgumentException>().WithParameterName("v");
        FluentActions.Invoking(() => OptimizerKernels.Sgd(new float[4], new float[5], new float[4], 0.1f, 0.9f, false, 0f)).Should().Throw<ArgumentException>().WithParameterName("gradients");
        FluentActions.Invoking(() => OptimizerKernels.Sgd(new float[4], new float[4], new float[3], 0.1f, 0.9f, false, 0f)).Should().Throw<ArgumentException>().WithParameterName("velocity");

        // Without momentum the velocity is not used and may be empty.
        float[] p = [1f];
        OptimizerKernels.Sgd(p, new float[] { 1f }, Span<float>.Empty, 0.5f, 0f, false, 0f);
        p[0].Should().Be(0.5f);
    }
}

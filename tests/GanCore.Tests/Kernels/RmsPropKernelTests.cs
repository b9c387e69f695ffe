using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary>
/// <see cref="OptimizerKernels.RmsProp"/> against <see cref="ElementwiseReference.RmsProp"/> at every length 0..256,
/// every accelerated width and five consecutive steps, for each combination of centering, momentum and weight decay;
/// its finite report, its subnormal flush and its length check.
/// </summary>
public class RmsPropKernelTests
{
    // The kernel works in float with FMA, the reference in double (rounding its state to float each step). The bound
    // is OptimizerKernelTests.AssertClose's 1e-5·(|value| + floor): for p the floor is one step's size, lr·|d| with |d| up to 1/√(1 − α) = 10 at the
    // first step (v starts at 0), and each step's change of p is also compared on its own; for v, a sum of positive
    // terms, the smallest squared gradient kept (1e-4 · (1 − α)); for ḡ and b, sums that may cancel, the scale of
    // their terms: (1 − α)·|g| ≤ 0.01 for ḡ, |d| ≤ 10 for b.
    private const float Lr = 1e-3f;
    private const float Alpha = 0.99f;
    private const int Steps = 5;

    public static TheoryData<bool, float, float> Settings => new()
    {
        { false, 0f, 0f },      // plain RMSprop: v only
        { false, 0f, 0.01f },   // L2 weight decay
        { true, 0f, 0f },       // centered: v and ḡ
        { false, 0.9f, 0f },    // momentum: v and b
        { true, 0.9f, 0.01f },  // all three blocks, and decay
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void RmsProp_matches_reference_for_five_steps_at_every_length_and_width(bool centered, float momentum, float weightDecay)
    {
        var settings = new RmsPropSettings(Lr, Alpha, 1e-8f, weightDecay, momentum, centered);
        int blocks = settings.StateBlocks;
        blocks.Should().Be(1 + (centered ? 1 : 0) + (momentum != 0f ? 1 : 0));
        var rng = new RandomSource(2027);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    var p = new Guarded(n, n % 3);
                    rng.FillUniform(p.Span, -1f, 1f);
                    float[] pRef = p.Span.ToArray();
                    var state = new Guarded(blocks * n, (n + 1) % 3);
                    state.Span.Clear();
                    var stateRef = new float[blocks * n];
                    for (int step = 1; step <= Steps; step++)
                    {
                        float[] g = OptimizerKernelTests.Gradients(rng, n); // zeros every 7th: ε alone keeps d finite there

                        // The same step by the reference from the kernel's own p and state: its change of p, compared
                        // on its own, is far smaller than p and would hide inside p's bound.
                        float[] before = p.Span.ToArray();
                        float[] one = p.Span.ToArray();
                        ElementwiseReference.RmsProp(one, g, state.Span.ToArray(), Lr, Alpha, 1e-8f, weightDecay, momentum, centered);
                        OptimizerKernels.RmsProp(p.Span, g, state.Span, settings).Should().BeTrue();
                        ElementwiseReference.RmsProp(pRef, g, stateRef, Lr, Alpha, 1e-8f, weightDecay, momentum, centered);
                        string what = $"n={n} width={width} step={step} centered={centered} μ={momentum} λ={weightDecay}";
                        OptimizerKernelTests.AssertClose(pRef, p.Span, 10 * Lr, "p " + what);
                        AssertStepsClose(before, one, p.Span, "Δp " + what);
                        OptimizerKernelTests.AssertClose(stateRef.AsSpan(0, n), state.Span[..n], 1e-6, "v " + what);
                        for (int b = 1; b < blocks; b++)
                        {
                            double floor = b == 1 && centered ? 0.01 : 10;
                            OptimizerKernelTests.AssertClose(stateRef.AsSpan(b * n, n), state.Span.Slice(b * n, n), floor, $"state block {b} " + what);
                        }
                    }

                    p.AssertGuardsIntact("p");
                    state.AssertGuardsIntact("state");
                }
            }
        }
    }

    [Fact]
    public void RmsProp_reports_a_non_finite_parameter_wherever_it_is_written()
    {
        var settings = new RmsPropSettings(Lr, Alpha, 1e-8f, 0f, 0.9f, Centered: true);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 1; n <= 70; n++)
                {
                    foreach (int bad in new[] { -1, 0, n / 2, n - 1 })
                    {
                        var p = new float[n];
                        var g = new float[n];
                        Array.Fill(g, 0.5f);
                        if (bad >= 0)
                        {
                            g[bad] = float.PositiveInfinity; // v − ḡ² = ∞ − ∞ is NaN, and so is the step
                        }

                        OptimizerKernels.RmsProp(p, g, new float[3 * n], settings).Should().Be(bad < 0, "n={0} width={1} bad={2}", n, width, bad);
                    }
                }
            }
        }
    }

    [Fact]
    public void RmsProp_flushes_decaying_state_to_zero_and_never_stores_a_subnormal()
    {
        // One real gradient, then zeros: v decays by α = 0.5 each step, ḡ too, and b by μ = 0.5 (d is 0 once g is).
        // Within ~130 steps all three pass below 2⁻¹²⁶; each must then hold 0, never a subnormal.
        var settings = new RmsPropSettings(Lr, 0.5f, 1e-8f, 0f, 0.5f, Centered: true);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                const int n = 37;
                var p = new float[n];
                var state = new float[3 * n];
                var g = new float[n];
                Array.Fill(g, 1e-3f);
                OptimizerKernels.RmsProp(p, g, state, settings);
                Array.Clear(g);
                for (int step = 0; step < 300; step++)
                {
                    OptimizerKernels.RmsProp(p, g, state, settings);
                    state.Should().NotContain(x => x != 0f && MathF.Abs(x) < 1.17549435E-38f, "width {0}, step {1}", width, step);
                }

                state.Should().OnlyContain(x => x == 0f, "every block decayed out of the float range, width {0}", width);
            }
        }
    }

    [Fact]
    public void A_negative_variance_estimate_counts_as_zero_in_the_kernel_and_the_reference()
    {
        // A state with v < ḡ² (reachable through rounding; set here directly): s = max(v − ḡ², 0) = 0 and d = g/ε,
        // where PyTorch would take the root of a negative number. The kernel must agree with the reference there too.
        var settings = new RmsPropSettings(Lr, Alpha, 1e-3f, 0f, 0f, Centered: true);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                foreach (int n in new[] { 1, 7, 16, 33 })
                {
                    var rng = new RandomSource((ulong)n);
                    var g = new float[n];
                    rng.FillUniform(g, -1f, 1f);
                    var state = new float[2 * n];
                    for (int i = 0; i < n; i++)
                    {
                        state[i] = 0.01f;       // v
                        state[n + i] = 0.5f;    // ḡ: ḡ² = 0.25 ≫ v, and stays so after one step
                    }

                    float[] stateRef = (float[])state.Clone();
                    var p = new float[n];
                    var pRef = new float[n];
                    OptimizerKernels.RmsProp(p, g, state, settings);
                    ElementwiseReference.RmsProp(pRef, g, stateRef, Lr, Alpha, 1e-3f, 0f, 0f, centered: true);
                    for (int i = 0; i < n; i++)
                    {
                        p[i].Should().BeApproximately(-Lr * g[i] / 1e-3f, 1e-5f * (1f + MathF.Abs(p[i])), "d = g/ε, n={0} width={1}", n, width);
                        p[i].Should().BeApproximately(pRef[i], 1e-6f * (1f + MathF.Abs(pRef[i])), "n={0} width={1}", n, width);
                    }
                }
            }
        }
    }

    [Fact]
    public void RmsProp_names_the_state_length_it_expected()
    {
        var settings = new RmsPropSettings(Lr, Alpha, 1e-8f, 0f, 0.9f, Centered: true);
        Action wrong = () => OptimizerKernels.RmsProp(new float[4], new float[4], new float[8], settings);
        wrong.Should().Throw<ArgumentException>().WithMessage("Span 'state' has 8 elements; expected 3 blocks of 4 (v, ḡ, b).*");
        Action gradients = () => OptimizerKernels.RmsProp(new float[4], new float[3], new float[12], settings);
        gradients.Should().Throw<ArgumentException>().WithMessage("*'gradients'*3*4*");
    }

    /// <summary>
    /// Each element's change from <paramref name="before"/> agrees to 1e-4 of the expected change, plus 3e-7 for the
    /// rounding of p itself (|p| ≤ ~1.1 has half-ulps of 6e-8, and each change is read off two rounded values).
    /// </summary>
    private static void AssertStepsClose(ReadOnlySpan<float> before, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < before.Length; i++)
        {
            double want = (double)expected[i] - before[i];
            double got = (double)actual[i] - before[i];
            if (!(Math.Abs(got - want) <= (1e-4 * Math.Abs(want)) + 3e-7))
            {
                Assert.Fail($"{what}: element {i} of {before.Length} moved by {got:E6}, expected {want:E6}.");
            }
        }
    }
}

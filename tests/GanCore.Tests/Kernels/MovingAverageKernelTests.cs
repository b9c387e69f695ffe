using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary><see cref="MovingAverageKernels.Update"/> against <see cref="MovingAverageKernels.Reference"/> at every length 0..256 and every accelerated width.</summary>
public class MovingAverageKernelTests
{
    // The kernel rounds (1 − β)·θ to float and then fuses β·a into it (one more rounding); the reference works in double
    // and rounds once. Each rounding is at most half an ulp of a term, i.e. 2⁻²⁴ relative to |a| + |θ|; allow 4 ulp.
    private const double RelTol = 4.0 / (1 << 24);

    public static TheoryData<float> Decays => [0.5f, 0.9f, 0.999f, 0.999f / 1.999f, 0.9999f, 0.25f];

    [Theory]
    [MemberData(nameof(Decays))]
    public void Update_matches_the_reference_for_three_steps_at_every_length_and_width(float decay)
    {
        var rng = new RandomSource(2101);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    var average = new Guarded(n, n % 3);
                    rng.FillUniform(average.Span, -2f, 2f);
                    float[] expected = average.Span.ToArray();
                    for (int step = 0; step < 3; step++)
                    {
                        var value = new float[n];
                        rng.FillUniform(value, -2f, 2f);
                        float[] previous = average.Span.ToArray();
                        MovingAverageKernels.Update(average.Span, value, decay);
                        MovingAverageKernels.Reference(expected, value, decay);
                        for (int i = 0; i < n; i++)
                        {
                            double bound = RelTol * (Math.Abs(previous[i]) + Math.Abs(value[i]));
                            if (!(Math.Abs(average.Span[i] - (double)expected[i]) <= bound))
                            {
                                Assert.Fail($"n={n} width={width} β={decay} step={step}: element {i} is {average.Span[i]:R}, expected {expected[i]:R} (bound {bound:E2}).");
                            }

                            // Keep the kernel and the reference on the same state, so the next step compares one step.
                            expected[i] = average.Span[i];
                        }
                    }

                    average.AssertGuardsIntact("average");
                }
            }
        }
    }

    [Fact]
    public void Decay_0_copies_the_values_exactly_and_decay_1_keeps_the_average_at_every_length_and_width()
    {
        var rng = new RandomSource(2102);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    var value = new float[n];
                    rng.FillUniform(value, -3f, 3f);
                    var average = new Guarded(n, (n + 1) % 3);
                    rng.FillUniform(average.Span, -3f, 3f);
                    float[] kept = average.Span.ToArray();

                    MovingAverageKernels.Update(average.Span, value, 1f);
                    average.Span.SequenceEqual(kept).Should().BeTrue($"β = 1 keeps the average (n={n}, width={width})");

                    MovingAverageKernels.Update(average.Span, value, 0f);
                    average.Span.SequenceEqual(value).Should().BeTrue($"β = 0 copies θ (n={n}, width={width})");
                    average.AssertGuardsIntact("average");
                }
            }
        }
    }

    [Fact]
    public void An_average_that_decays_below_the_normal_range_becomes_zero_at_every_length_and_width()
    {
        const float smallestNormal = 1.17549435E-38f;
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 1; n <= 40; n++)
                {
                    // θ = 0 and a just above the normal range: 0.9·a drops below it for some elements, not for others.
                    var average = new float[n];
                    for (int i = 0; i < n; i++)
                    {
                        average[i] = (i % 2 == 0 ? 1.05f : 2f) * smallestNormal * (i % 3 == 0 ? -1f : 1f);
                    }

                    float[] expected = (float[])average.Clone();
                    MovingAverageKernels.Update(average, new float[n], 0.9f);
                    MovingAverageKernels.Reference(expected, new float[n], 0.9f);
                    for (int i = 0; i < n; i++)
                    {
                        bool flushed = i % 2 == 0;
                        BitConverter.SingleToInt32Bits(average[i]).Should().Be(BitConverter.SingleToInt32Bits(expected[i]), $"element {i} (n={n}, width={width})");
                        if (flushed)
                        {
                            BitConverter.SingleToInt32Bits(average[i]).Should().Be(0, $"element {i}: 0.9 × 1.05 × 2⁻¹²⁶ is subnormal and becomes +0 (n={n}, width={width})");
                        }
                        else
                        {
                            Math.Abs(average[i]).Should().BeGreaterThanOrEqualTo(smallestNormal, $"element {i}: 0.9 × 2 × 2⁻¹²⁶ stays normal (n={n}, width={width})");
                            float.IsNegative(average[i]).Should().Be(i % 3 == 0, "the sign is kept");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Spans_of_different_lengths_are_rejected()
    {
        FluentActions.Invoking(() => MovingAverageKernels.Update(new float[4], new float[5], 0.5f))
            .Should().Throw<ArgumentException>().WithParameterName("value");
    }
}

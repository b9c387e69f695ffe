using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary><see cref="Elementwise.Clamp"/> against <see cref="ElementwiseReference.Clamp"/> at every length 0..256 and every width.</summary>
public class ClampTests
{
    private static void AssertExact(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }

    [Fact]
    public void Clamp_matches_reference_bit_for_bit_at_every_length_and_width()
    {
        var rng = new RandomSource(1015);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.25f, -0.25f, 0f, -0f, 1e-40f];
        int clampedSeen = 0;
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= KernelWidths.MaxLength; n++)
                {
                    string what = $"n={n} width={width}";
                    var x = new float[n];
                    rng.FillUniform(x, -1f, 1f);
                    for (int i = 0; i < n; i += 7)
                    {
                        x[i] = specials[(i + n) % specials.Length]; // the edges, ±∞ and NaN, in every lane position
                    }

                    float[] expected = x.Select(v => ElementwiseReference.Clamp(v, -0.25f, 0.25f)).ToArray();
                    clampedSeen += x.Count(v => Math.Abs(v) > 0.25f);
                    var buffer = new Guarded(n, n % 4);
                    x.CopyTo(buffer.Span);
                    Elementwise.Clamp(buffer.Span, -0.25f, 0.25f);
                    AssertExact(expected, buffer.Span, "clamp " + what);
                    buffer.AssertGuardsIntact("clamp " + what);
                }
            }
        }

        clampedSeen.Should().BeGreaterThan(1000, "most random values lie outside [−0.25, 0.25], so clamping is exercised");
    }

    [Fact]
    public void Reference_clamps_outside_values_keeps_inside_values_and_NaN()
    {
        ElementwiseReference.Clamp(3f, -1f, 1f).Should().Be(1f);
        ElementwiseReference.Clamp(-3f, -1f, 1f).Should().Be(-1f);
        ElementwiseReference.Clamp(float.NegativeInfinity, -1f, 1f).Should().Be(-1f);
        ElementwiseReference.Clamp(0.5f, -1f, 1f).Should().Be(0.5f);
        float.IsNaN(ElementwiseReference.Clamp(float.NaN, -1f, 1f)).Should().BeTrue();

        float[] x = [2f, -2f, 0.5f, float.NaN, float.PositiveInfinity];
        Elementwise.Clamp(x, -1f, 1f);
        x[..3].Should().Equal(1f, -1f, 0.5f);
        float.IsNaN(x[3]).Should().BeTrue("NaN must survive so divergence is still detected");
        x[4].Should().Be(1f);
    }
}

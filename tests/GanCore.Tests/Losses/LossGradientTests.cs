using GanCore.Losses;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Losses;

/// <summary>Every loss's gradient against finite differences of the loss value, and its value against the formula.</summary>
public class LossGradientTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "MSE", false },
        { "BCE", false },
        { "BCE", true },
        { "BCEWithLogits", false },
        { "BCEWithLogits", true },
    };

    internal static (Loss Loss, Matrix Predictions, Matrix Targets) Create(string name, bool hardTargets, int rows, int columns, RandomSource random)
    {
        Matrix targets = GradientChecker.Uniform(rows, columns, random, 0f, 1f);
        if (hardTargets)
        {
            Span<float> t = targets.Span;
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = t[i] < 0.5f ? 0f : 1f;
            }
        }

        return name switch
        {
            "MSE" => (new MeanSquaredError(), GradientChecker.Uniform(rows, columns, random, -2f, 2f), GradientChecker.Uniform(rows, columns, random, -1f, 1f)),
            "BCE" => (new BinaryCrossEntropy(), GradientChecker.Uniform(rows, columns, random, 0.15f, 0.85f), targets),
            "BCEWithLogits" => (new BinaryCrossEntropyWithLogits(), GradientChecker.Uniform(rows, columns, random, -4f, 4f), targets),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string name, bool hardTargets)
    {
        (Loss loss, Matrix p, Matrix t) = Create(name, hardTargets, 3, 4, new RandomSource(31));
        var g = new Matrix(3, 4);
        loss.Compute(p, t, g);

        GradientChecker.AssertMatches(() => loss.Compute(p, t), new GradientVariable("predictions", p, g));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_is_the_mean_of_the_elementwise_formula(string name, bool hardTargets)
    {
        (Loss loss, Matrix p, Matrix t) = Create(name, hardTargets, 5, 3, new RandomSource(32));
        double sum = 0;
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double pv = p[i, j];
                double tv = t[i, j];
                sum += name switch
                {
                    "MSE" => (pv - tv) * (pv - tv),
                    "BCE" => -((tv * Math.Log(pv)) + ((1 - tv) * Math.Log(1 - pv))),
                    _ => -((tv * Math.Log(1 / (1 + Math.Exp(-pv)))) + ((1 - tv) * Math.Log(1 - (1 / (1 + Math.Exp(-pv)))))),
                };
            }
        }

        ((double)loss.Compute(p, t)).Should().BeApproximately(sum / 15, 1e-6);
    }

    [Fact]
    public void Gradient_may_be_written_over_the_predictions()
    {
        (Loss loss, Matrix p, Matrix t) = Create("BCEWithLogits", true, 3, 4, new RandomSource(33));
        var separate = new Matrix(3, 4);
        float expected = loss.Compute(p, t, separate);

        float actual = loss.Compute(p, t, p);

        actual.Should().Be(expected);
        p.ToArray().Should().BeEquivalentTo(separate.ToArray());
    }

    [Theory]
    [InlineData(60f, 1f)]
    [InlineData(-60f, 0f)]
    [InlineData(80f, 0f)]
    [InlineData(-80f, 1f)]
    public void BCE_with_logits_is_stable_for_large_logits(float z, float t)
    {
        var loss = new BinaryCrossEntropyWithLogits();
        var g = new Matrix(1, 1);
        float value = loss.Compute(Matrix.FromRows(1, 1, [z]), Matrix.FromRows(1, 1, [t]), g);

        float.IsFinite(value).Should().BeTrue();
        double expected = t == (z > 0 ? 1f : 0f) ? Math.Exp(-Math.Abs(z)) : Math.Abs(z);
        ((double)value).Should().BeApproximately(expected, 1e-5 * Math.Max(1, expected));
        ((double)g[0, 0]).Should().BeApproximately(t == (z > 0 ? 1f : 0f) ? 0 : (z > 0 ? 1 : -1), 1e-6);
    }

    [Fact]
    public void BCE_clamps_probabilities_of_exactly_0_and_1()
    {
        var loss = new BinaryCrossEntropy();
        var g = new Matrix(1, 2);
        float value = loss.Compute(Matrix.FromRows(1, 2, [0f, 1f]), Matrix.FromRows(1, 2, [1f, 0f]), g);

        ((double)value).Should().BeApproximately(-Math.Log(BinaryCrossEntropy.Epsilon), 1e-3);

        // dℓ/dp = (p − t)/(p(1 − p)) at the clamped p, over 2 elements: −1/(2ε) at p = ε, t = 1 and +1/(2ε) at
        // p = 1 − ε, t = 0. Unclamped, both would be infinite; a gradient zeroed at the clamp would be 0.
        double eps = BinaryCrossEntropy.Epsilon;
        ((double)g[0, 0]).Should().BeApproximately(-1 / (2 * eps), 1e-5 / eps);
        ((double)g[0, 1]).Should().BeApproximately(1 / (2 * eps), 1e-5 / eps);
    }
}

using GanCore.Adversarial;
using GanCore.Losses;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>Each objective's terms against finite differences and against the Losses they are built on.</summary>
public class ObjectiveTests
{
    public static TheoryData<GanObjective> Kinds => [GanObjective.Minimax, GanObjective.NonSaturating, GanObjective.LeastSquares];

    private static Matrix Logits(int n = 9) => GradientChecker.Uniform(n, 1, new RandomSource(21), -3f, 3f);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_term_s_gradient_matches_finite_differences(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        Matrix logits = Logits();
        var real = new Matrix(logits.Rows, 1);
        var fakeD = new Matrix(logits.Rows, 1);
        var fakeG = new Matrix(logits.Rows, 1);
        objective.DiscriminatorRealTerm(logits.Span, 0.9f, real.Span, out _);
        objective.FakeTerms(logits.Span, fakeD.Span, fakeG.Span, out _, out _, out _);

        GradientChecker.AssertMatches(() => objective.DiscriminatorRealTerm(logits.Span, 0.9f, new float[logits.Rows], out _), new GradientVariable("real", logits, real));
        GradientChecker.AssertMatches(
            () =>
            {
                objective.FakeTerms(logits.Span, new float[logits.Rows], [], out double d, out _, out _);
                return d;
            },
            new GradientVariable("fake, D", logits, fakeD));
        GradientChecker.AssertMatches(
            () =>
            {
                objective.FakeTerms(logits.Span, [], new float[logits.Rows], out _, out _, out double g);
                return g;
            },
            new GradientVariable("fake, G", logits, fakeG));
    }

    [Fact]
    public void Cross_entropy_terms_equal_the_BinaryCrossEntropyWithLogits_loss()
    {
        Matrix logits = Logits();
        var ones = new Matrix(logits.Rows, 1);
        ones.Span.Fill(1f);
        var zeros = new Matrix(logits.Rows, 1);
        var bce = new BinaryCrossEntropyWithLogits();

        double real = AdversarialObjective.Minimax.DiscriminatorRealTerm(logits.Span, 1f, new float[logits.Rows], out double realScore);
        AdversarialObjective.Minimax.FakeTerms(logits.Span, new float[logits.Rows], new float[logits.Rows], out double fakeD, out _, out double minimaxG);
        AdversarialObjective.NonSaturating.FakeTerms(logits.Span, [], new float[logits.Rows], out _, out _, out double nonSaturatingG);

        real.Should().BeApproximately(bce.Compute(logits, ones), 1e-6);
        fakeD.Should().BeApproximately(bce.Compute(logits, zeros), 1e-6);
        minimaxG.Should().BeApproximately(-bce.Compute(logits, zeros), 1e-6);
        nonSaturatingG.Should().BeApproximately(bce.Compute(logits, ones), 1e-6);
        realScore.Should().BeApproximately(logits.Span.ToArray().Average(l => 1 / (1 + Math.Exp(-l))), 1e-6);
    }

    [Fact]
    public void Least_squares_terms_are_half_the_MeanSquaredError_loss()
    {
        Matrix logits = Logits();
        var target = new Matrix(logits.Rows, 1);
        target.Span.Fill(0.9f);
        var mse = new MeanSquaredError();

        double real = AdversarialObjective.LeastSquares.DiscriminatorRealTerm(logits.Span, 0.9f, new float[logits.Rows], out double score);

        real.Should().BeApproximately(0.5 * mse.Compute(logits, target), 1e-6);
        score.Should().BeApproximately(logits.Span.ToArray().Average(l => (double)l), 1e-6);
    }

    [Fact]
    public void The_option_maps_to_its_objective_and_back()
    {
        foreach (GanObjective kind in Enum.GetValues<GanObjective>())
        {
            AdversarialObjective.For(kind).Kind.Should().Be(kind);
        }

        FluentActions.Invoking(() => AdversarialObjective.For((GanObjective)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kind");
        GanTestKit.SeedGan(1, new GanOptions { Objective = GanObjective.NonSaturating }, hidden: 4).Objective.Should().BeSameAs(AdversarialObjective.NonSaturating);
    }

    [Fact]
    public void Short_or_empty_spans_are_rejected_naming_the_parameter()
    {
        float[] logits = [0.5f, -1f, 2f];
        FluentActions.Invoking(() => AdversarialObjective.Minimax.DiscriminatorRealTerm(logits, 1f, new float[2], out _))
            .Should().Throw<ArgumentException>().WithParameterName("gradient");
        FluentActions.Invoking(() => AdversarialObjective.Minimax.DiscriminatorRealTerm([], 1f, new float[2], out _))
            .Should().Throw<ArgumentException>().WithParameterName("logits");
        FluentActions.Invoking(() => AdversarialObjective.LeastSquares.FakeTerms(logits, new float[1], [], out _, out _, out _))
            .Should().Throw<ArgumentException>().WithParameterName("discriminatorGradient");
        FluentActions.Invoking(() => AdversarialObjective.NonSaturating.FakeTerms(logits, [], new float[2], out _, out _, out _))
            .Should().Throw<ArgumentException>().WithParameterName("generatorGradient");
    }
}

using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>The GAN derivation, step by step: V(G,D), D*, and C(G) = V(G,D*) = −log 4 + 2·JSD.</summary>
public class GameTests
{
    private static readonly double MinusLog4 = -Math.Log(4);

    public static TheoryData<string, IDensity, IDensity> DataGeneratorPairs => new()
    {
        { "shifted mean", new NormalDensity(0, 1), new NormalDensity(1, 1) },
        { "wider", new NormalDensity(0, 1), new NormalDensity(0, 2) },
        { "shifted and narrower", new NormalDensity(-2, 0.5), new NormalDensity(3, 1.5) },
        { "far apart", new NormalDensity(0, 1), new NormalDensity(10, 1) },
        { "spike inside broad", new NormalDensity(1, 0.1), new NormalDensity(0, 3) },
        { "broad around spike", new NormalDensity(0, 3), new NormalDensity(1, 0.1) },
        { "normal data, uniform generator", new NormalDensity(0, 1), new UniformDensity(-1, 2) },
        { "uniform data, normal generator", new UniformDensity(1, 2), new NormalDensity(0, 0.7) },
        { "mixture data, normal generator", new MixtureDensity([new NormalDensity(-2, 0.5), new NormalDensity(2, 0.5)], [0.5, 0.5]), new NormalDensity(0, 2) },
    };

    [Fact]
    public void At_p_g_equal_p_data_C_is_minus_log_4_and_D_star_is_one_half_everywhere()
    {
        Game.GlobalMinimum.Should().Be(MinusLog4);
        foreach ((IDensity data, IDensity generator) in new (IDensity, IDensity)[]
        {
            (new NormalDensity(0.3, 1.7), new NormalDensity(0.3, 1.7)),
            (new UniformDensity(0, 1), new UniformDensity(0, 1)),
            (DensityTests.Make("mixture"), DensityTests.Make("mixture")),
        })
        {
            Game.VirtualTrainingCriterion(data, generator).Should().BeApproximately(-1.3862943611, 1e-9);

            DiscriminatorFunction optimal = Game.OptimalDiscriminator(data, generator);
            foreach (double x in (double[])[-1e6, -100, -40, -3, -0.5, 0, 0.25, 1, 1.5, 7, 100, 1e6])
            {
                optimal.Probability(x).Should().Be(0.5, "D*({0}) with p_g = p_data", x);
            }
        }
    }

    [Theory]
    [MemberData(nameof(DataGeneratorPairs))]
    public void V_with_D_star_plugged_in_equals_minus_log_4_plus_the_KL_terms_and_plus_twice_JSD(string name, IDensity data, IDensity generator)
    {
        // Left side: integrate V(G, D) = E_data[log D] + E_g[log(1 − D)] with D = D*.
        double viaValue = Game.Value(data, generator, Game.OptimalDiscriminator(data, generator));
        Game.VirtualTrainingCriterion(data, generator).Should().Be(viaValue);

        // Right side, first form: −log 4 + KL(p_data‖m) + KL(p_g‖m), with the midpoint m built here.
        var m = new MixtureDensity([data, generator], [0.5, 0.5]);
        double viaKl = MinusLog4 + Divergences.KullbackLeibler(data, m) + Divergences.KullbackLeibler(generator, m);

        // Right side, second form: −log 4 + 2·JSD.
        double viaJsd = MinusLog4 + (2 * Divergences.JensenShannon(data, generator));

        viaValue.Should().BeApproximately(viaKl, 1e-8, name);
        viaValue.Should().BeApproximately(viaJsd, 1e-8, name);
        viaValue.Should().BeGreaterThan(MinusLog4, "C(G) > −log 4 when p_g ≠ p_data ({0})", name);
    }

    [Theory]
    [MemberData(nameof(DataGeneratorPairs))]
    public void Perturbing_D_star_lowers_V(string name, IDensity data, IDensity generator)
    {
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(data, generator);
        double best = Game.Value(data, generator, optimal);
        DiscriminatorFunction[] perturbed =
        [
            DiscriminatorFunction.FromLogit(x => optimal.Logit(x) + 0.5),
            DiscriminatorFunction.FromLogit(x => optimal.Logit(x) - 0.5),
            DiscriminatorFunction.FromLogit(x => optimal.Logit(x) + Math.Sin(3 * x)),
            DiscriminatorFunction.FromProbability(x => (0.9 * optimal.Probability(x)) + 0.05),
            DiscriminatorFunction.FromProbability(_ => 0.5),
        ];

        foreach (DiscriminatorFunction d in perturbed)
        {
            Game.Value(data, generator, d).Should().BeLessThan(best, name);
        }
    }

    [Fact]
    public void A_constant_one_half_discriminator_scores_minus_log_4_against_any_generator()
    {
        // E_data[log ½] + E_g[log ½] = −2 log 2 whatever p_data and p_g are: the "D score" GanCore's sample prints.
        DiscriminatorFunction half = DiscriminatorFunction.FromProbability(_ => 0.5);
        Game.Value(new NormalDensity(0, 1), new UniformDensity(3, 4), half).Should().BeApproximately(MinusLog4, 1e-12);
    }

    [Fact]
    public void D_star_is_p_data_over_p_data_plus_p_g()
    {
        var data = new NormalDensity(0, 1);
        var generator = new MixtureDensity([new NormalDensity(1, 0.5), new UniformDensity(-2, 0)], [0.6, 0.4]);
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(data, generator);
        for (double x = -5; x <= 5; x += 0.173)
        {
            double a = data.Density(x);
            double b = generator.Density(x);
            optimal.Probability(x).Should().BeApproximately(a / (a + b), 1e-14);
        }

        // Outside p_g's support D* = 1 (log D* = 0); where neither density has mass it is ½ by convention.
        var narrow = new UniformDensity(0, 1);
        DiscriminatorFunction onlyData = Game.OptimalDiscriminator(new UniformDensity(0, 2), narrow);
        onlyData.Probability(1.5).Should().Be(1.0);
        onlyData.LogProbability(1.5).Should().Be(0.0);
        onlyData.LogComplement(1.5).Should().Be(double.NegativeInfinity);
        onlyData.Probability(5).Should().Be(0.5);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.3, 0.7)]
    [InlineData(2.0, 0.1)]
    [InlineData(0.05, 3.0)]
    public void a_log_y_plus_b_log_1_minus_y_peaks_at_a_over_a_plus_b(double a, double b)
    {
        // The pointwise step behind D*: search a fine grid for the maximizer and compare with a/(a + b).
        const int steps = 200_000;
        double bestY = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 1; i < steps; i++)
        {
            double y = i / (double)steps;
            double value = (a * Math.Log(y)) + (b * Math.Log(1 - y));
            if (value > bestValue)
            {
                (bestY, bestValue) = (y, value);
            }
        }

        bestY.Should().BeApproximately(a / (a + b), 1.0 / steps);
    }

    [Fact]
    public void D_star_maximizes_the_integrand_of_V_point_by_point()
    {
        var data = new NormalDensity(0, 1);
        var generator = new NormalDensity(1.5, 0.8);
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(data, generator);
        for (double x = -3; x <= 4; x += 0.25)
        {
            double a = data.Density(x);
            double b = generator.Density(x);
            double atOptimum = (a * optimal.LogProbability(x)) + (b * optimal.LogComplement(x));
            for (double y = 0.01; y < 1; y += 0.01)
            {
                ((a * Math.Log(y)) + (b * Math.Log(1 - y))).Should().BeLessThanOrEqualTo(atOptimum + 1e-15);
            }
        }
    }

    [Fact]
    public void V_is_minus_infinity_when_D_is_certain_and_wrong()
    {
        var data = new NormalDensity(0, 1);
        var generator = new NormalDensity(1, 1);
        Game.Value(data, generator, DiscriminatorFunction.FromProbability(x => x > 2 ? 0.0 : 0.5)).Should().Be(double.NegativeInfinity);
        Game.Value(data, generator, DiscriminatorFunction.FromLogit(x => x < 0 ? double.PositiveInfinity : 0.0)).Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Logit_and_probability_forms_of_the_same_discriminator_agree()
    {
        DiscriminatorFunction byLogit = DiscriminatorFunction.FromLogit(x => 0.7 * x);
        DiscriminatorFunction byProbability = DiscriminatorFunction.FromProbability(x => 1 / (1 + Math.Exp(-0.7 * x)));
        foreach (double x in (double[])[-20, -3, -0.1, 0, 0.4, 5, 20])
        {
            byLogit.Probability(x).Should().BeApproximately(byProbability.Probability(x), 1e-15);
            byLogit.Logit(x).Should().BeApproximately(byProbability.Logit(x), 1e-9);
            // The probability form carries D itself, so log D and log(1 − D) inherit its rounding, ε/D and ε/(1 − D).
            double d = byLogit.Probability(x);
            byLogit.LogProbability(x).Should().BeApproximately(byProbability.LogProbability(x), 1e-15 / d);
            byLogit.LogComplement(x).Should().BeApproximately(byProbability.LogComplement(x), 1e-15 / (1 - d));
        }

        // Far out, only the logit form keeps log(1 − D) finite: D rounds to 1 in double.
        byProbability.LogComplement(100).Should().Be(double.NegativeInfinity);
        byLogit.LogComplement(100).Should().BeApproximately(-70, 1e-12);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_named()
    {
        var f = new NormalDensity(0, 1);
        DiscriminatorFunction half = DiscriminatorFunction.FromProbability(_ => 0.5);
        FluentActions.Invoking(() => Game.Value(null!, f, half)).Should().Throw<ArgumentNullException>().WithParameterName("data");
        FluentActions.Invoking(() => Game.Value(f, null!, half)).Should().Throw<ArgumentNullException>().WithParameterName("generator");
        FluentActions.Invoking(() => Game.Value(f, f, null!)).Should().Throw<ArgumentNullException>().WithParameterName("discriminator");
        FluentActions.Invoking(() => Game.OptimalDiscriminator(null!, f)).Should().Throw<ArgumentNullException>().WithParameterName("data");
        FluentActions.Invoking(() => Game.VirtualTrainingCriterion(f, null!)).Should().Throw<ArgumentNullException>().WithParameterName("generator");
        FluentActions.Invoking(() => DiscriminatorFunction.FromProbability(null!)).Should().Throw<ArgumentNullException>().WithParameterName("probability");
        FluentActions.Invoking(() => DiscriminatorFunction.FromLogit(null!)).Should().Throw<ArgumentNullException>().WithParameterName("logit");

        // A "probability" outside [0, 1], or a NaN logit, is caught when V evaluates it.
        FluentActions.Invoking(() => Game.Value(f, f, DiscriminatorFunction.FromProbability(_ => 1.5))).Should().Throw<InvalidOperationException>().WithMessage("*[0, 1]*");
        FluentActions.Invoking(() => Game.Value(f, f, DiscriminatorFunction.FromLogit(_ => double.NaN))).Should().Throw<InvalidOperationException>().WithMessage("*NaN*");
    }
}

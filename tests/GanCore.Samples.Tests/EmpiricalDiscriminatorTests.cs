using GanCore.Theory;
using GanTheory;
using MathNet.Numerics.Distributions;

namespace GanCore.Samples.Tests;

/// <summary>Trains the sample's discriminator once (seed 1, the sample's defaults) for every test in the class.</summary>
public sealed class TrainedDiscriminatorFixture
{
    internal EmpiricalResult Result { get; } = EmpiricalDiscriminator.Run(EmpiricalSettings.Default);
}

/// <summary>
/// The empirical check of samples/GanTheory: a network trained with Sequential.Fit on N(0, 1) (label 1) against
/// N(1.5, 0.8²) (label 0) approaches D* = p_data/(p_data + p_g), and its V(G, D) approaches −log 4 + 2·JSD.
/// </summary>
public class EmpiricalDiscriminatorTests(TrainedDiscriminatorFixture trained) : IClassFixture<TrainedDiscriminatorFixture>
{
    private readonly EmpiricalResult _result = trained.Result;

    [Fact]
    public void Learned_D_is_within_0_05_of_D_star_on_the_central_95_percent()
    {
        // Recompute the error independently of the sample: D* in closed form from the two normal densities.
        double worst = 0;
        for (int i = 0; i < _result.Grid.Length; i++)
        {
            double x = _result.Grid[i];
            double pData = Normal.PDF(0, 1, x);
            double pG = Normal.PDF(1.5, 0.8, x);
            worst = Math.Max(worst, Math.Abs(_result.Learned[i] - (pData / (pData + pG))));
        }

        worst.Should().BeApproximately(_result.MaxAbsError, 1e-12);
        _result.MaxAbsError.Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void The_grid_spans_the_central_95_percent_of_the_mixture()
    {
        static double MixtureCdf(double x) => (0.5 * Normal.CDF(0, 1, x)) + (0.5 * Normal.CDF(1.5, 0.8, x));

        _result.Grid.Should().HaveCount(EmpiricalDiscriminator.GridPoints).And.BeInAscendingOrder();
        MixtureCdf(_result.Grid[0]).Should().BeApproximately(0.025, 1e-9);
        MixtureCdf(_result.Grid[^1]).Should().BeApproximately(0.975, 1e-9);
    }

    [Fact]
    public void V_of_the_learned_D_is_within_0_02_of_minus_log_4_plus_2_JSD()
    {
        double target = -Math.Log(4) + (2 * Divergences.JensenShannon(EmpiricalDiscriminator.Data, EmpiricalDiscriminator.Generator));

        _result.Target.Should().BeApproximately(target, 1e-12);
        _result.Value.Should().BeApproximately(target, 0.02);
    }

    [Fact]
    public void No_discriminator_beats_D_star()
    {
        // D* maximizes V pointwise, so V(G, D) ≤ C(G) for the learned D too (up to quadrature rounding).
        _result.Criterion.Should().BeApproximately(_result.Target, 1e-12);
        _result.Value.Should().BeLessThanOrEqualTo(_result.Criterion + 1e-12);
    }

    [Fact]
    public void Monte_Carlo_V_on_fresh_samples_agrees_with_the_quadrature_within_4_standard_errors()
    {
        MonteCarloEstimate estimate = _result.MonteCarloValue;

        estimate.StandardError.Should().BePositive();
        Math.Abs(estimate.Mean - _result.Value).Should().BeLessThanOrEqualTo(4 * estimate.StandardError);
    }

    [Fact]
    public void Every_exact_check_matches_its_closed_form()
    {
        IReadOnlyList<ExactCheck> checks = ExactChecks.Compute();

        checks.Should().HaveCountGreaterThanOrEqualTo(15);
        checks.Should().OnlyContain(c => c.Error <= 1e-10, "quadrature against closed forms is accurate to ~1e−15");
    }

    [Theory]
    [InlineData("--samples", "many")]
    [InlineData("--samples", "1")]
    [InlineData("--epochs", "0")]
    [InlineData("--batch", "-3")]
    [InlineData("--lr", "0")]
    [InlineData("--no-such-option", "1")]
    public void Bad_options_exit_with_2(string option, string value)
    {
        Cli.Run([option, value, "--no-plots"]).Should().Be(Cli.ExitBadInput);
    }
}

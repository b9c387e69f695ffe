using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using QuadraticGan;
using Xunit.Abstractions;

namespace GanCore.Samples.Tests;

/// <summary>End to end on the sample's data: a short run of the seed networks passes the sample's fit-quality checks.</summary>
public class QuadraticLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void Short_quadratic_run_passes_the_fit_quality_thresholds_an_untrained_generator_fails()
    {
        // The seed networks (G 5→128→15, D 15→128→1, Gaussian noise), but the non-saturating loss with Adam
        // 5e-4 / β1 0.5 so that a few thousand steps suffice.
        var random = new RandomSource(3);
        var g = new Sequential(new Dense(5, 128, random), new ReLU(), new Dense(128, QuadraticFamily.PointCount, random));
        var d = new Sequential(new Dense(QuadraticFamily.PointCount, 128, random), new ReLU(), new Dense(128, 1, random));
        var gan = new Gan(
            g,
            d,
            new Adam(g.Parameters, 5e-4f, beta1: 0.5f),
            new Adam(d.Parameters, 5e-4f, beta1: 0.5f),
            new GaussianNoise(5),
            Experiment.CreateSampler(),
            random,
            new GanOptions { Objective = GanObjective.NonSaturating });

        QuadraticFitReport before = QuadraticFitReport.Compute(gan.Generate(1000));
        gan.Train(QuadraticSteps);
        QuadraticFitReport after = QuadraticFitReport.Compute(gan.Generate(1000));
        output.WriteLine($"before: {before}");
        output.WriteLine($"after:  {after}");

        CheckThresholds(after).Should().BeEmpty();
        CheckThresholds(before).Should().NotBeEmpty("an untrained generator must fail the same thresholds");
    }

    private const int QuadraticSteps = 2000;

    [Fact]
    public void Momentum_loses_the_original_game_that_plain_SGD_with_the_same_steady_step_plays()
    {
        // docs/quadratic-gan.md, "Optimizers": the original recipe with plain SGD at lr 1e-1 instead of Adam at 1e-4
        // ended, on seeds 1–5, at D scores −1.383 to −1.386 (−log 4 = −1.386) with 88–94% of the curves in band
        // (seed 1: −1.383, 0.903). Momentum 0.9 at lr 1e-2 takes the same step on a steady gradient, 1e-2/(1 − 0.9),
        // yet D won on every seed (D score −0.15 to −0.000, no curve in band; seed 1: −0.001). So it is the momentum,
        // not the step's size, that loses the game. The same seed and the sample's own networks.
        (double plainScore, double plainInBand) = TrainOriginal(new TrainSettings { Optimizer = "sgd", LearningRateG = 1e-1f, LearningRateD = 1e-1f });
        (double heavyScore, double heavyInBand) = TrainOriginal(new TrainSettings { Optimizer = "sgd", Momentum = 0.9f, LearningRateG = 1e-2f, LearningRateD = 1e-2f });
        output.WriteLine($"plain SGD 1e-1: D score {plainScore:F3}, in band {plainInBand:F3}; momentum 0.9 at 1e-2: D score {heavyScore:F3}, in band {heavyInBand:F3}");

        plainScore.Should().BeApproximately(-Math.Log(4), 0.05, "plain SGD reaches the game's equilibrium");
        plainInBand.Should().BeGreaterThan(0.8);
        heavyScore.Should().BeGreaterThan(-0.7, "with momentum D wins: its score leaves −log 4 for 0");
        heavyInBand.Should().BeLessThan(0.2);
    }

    /// <summary>Trains the sample's GAN as its CLI does and returns D's score over the last 500 steps (the report's) and the fit's in-band share.</summary>
    private static (double DScore, double InBand) TrainOriginal(TrainSettings s)
    {
        Gan gan = Experiment.Build(s);
        RunResult run = Experiment.Train(gan, s, null, null, CancellationToken.None);
        return (run.DiscriminatorScoreLast500, QuadraticFitReport.Compute(gan.Generate(1000)).InBandShare);
    }

    private static List<string> CheckThresholds(QuadraticFitReport r)
    {
        var failures = new List<string>();
        void Require(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }

        // Seeds 1–4 of this setup reached, after 2000–3000 steps: in-band 87–98 %, residual ≤ 0.043, offset ≤ 0.12,
        // mean a within 0.09 of 1.5, std a 0.20–0.41, KS(a) 0.08–0.22. The thresholds sit outside that spread (other
        // float rounding gives another trajectory) but far from what a broken generator gives: an untrained G has
        // in-band 0 % and KS 1; a collapsed G (one curve) has std a ≈ 0 and KS ≥ 0.5; noise has huge residuals.
        Require(r.InBandShare >= 0.8, $"in-band share {r.InBandShare} < 0.8");
        Require(r.MedianResidualRms <= 0.1, $"median residual {r.MedianResidualRms} > 0.1");
        Require(r.MeanOffsetError <= 0.15, $"mean |b − (a − 1)| {r.MeanOffsetError} > 0.15");
        Require(Math.Abs(r.MeanA - 1.5) <= 0.1, $"mean a {r.MeanA} not within 0.1 of 1.5");
        Require(r.StdA is >= 0.15 and <= 0.45, $"std a {r.StdA} outside [0.15, 0.45] (0.15: mode collapse)");
        Require(r.KsA <= 0.25, $"KS(a) {r.KsA} > 0.25");
        return failures;
    }
}

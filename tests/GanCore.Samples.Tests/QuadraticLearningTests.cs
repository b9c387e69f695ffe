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

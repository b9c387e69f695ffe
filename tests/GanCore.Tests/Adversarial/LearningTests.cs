using GanCore.Adversarial;
using GanCore.Diagnostics;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using Xunit.Abstractions;

namespace GanCore.Tests.Adversarial;

/// <summary>End-to-end: the composer actually learns (fixed seeds, small budgets).</summary>
public class LearningTests(ITestOutputHelper output)
{
    [Fact]
    public void Learns_a_one_dimensional_Gaussian()
    {
        const double mean = 3.0, std = 0.5;
        var random = new RandomSource(11);
        // G(z) = w·z + b can represent the target exactly (w = ±0.5, b = 3); D needs a hidden layer to tell spreads apart.
        var g = new Sequential(new Dense(1, 1, random));
        var d = new Sequential(new Dense(1, 32, random), new LeakyReLU(0.2f), new Dense(32, 1, random));
        var gan = new Gan(
            g,
            d,
            new Adam(g.Parameters, 2e-3f, beta1: 0.5f),
            new Adam(d.Parameters, 2e-3f, beta1: 0.5f),
            new GaussianNoise(1),
            new DelegateSampler(1, static (batch, r) => r.FillGaussian(batch.Span, (float)mean, (float)std)),
            random,
            new GanOptions { Objective = GanObjective.LeastSquares, BatchSize = 64 });

        float[] untrained = GanTestKit.Flatten(gan.Generate(10_000));
        gan.Train(4000);
        float[] samples = GanTestKit.Flatten(gan.Generate(10_000));
        double m = samples.Average(x => (double)x);
        double s = Math.Sqrt(samples.Sum(x => (x - m) * (x - m)) / (samples.Length - 1));
        output.WriteLine($"mean {m:F4} std {s:F4}");

        // The sampling error of 10 000 draws is tiny (σ/√n = 0.005 for the mean, ~0.0035 for σ). What is left is the
        // GAN's own oscillation around the target: over seeds 11–17 this setup stayed within 0.03 of the mean and
        // 0.05 of σ from step 3000 on. The tolerance, 0.1 on both (a fifth of σ; 20 % of σ), leaves room for other
        // float rounding (e.g. a new GEMM kernel) while still failing a generator that has not learned: before
        // training the mean alone is off by about 3.
        Math.Abs(untrained.Average(x => (double)x) - mean).Should().BeGreaterThan(1);
        m.Should().BeApproximately(mean, 0.1);
        s.Should().BeApproximately(std, 0.1);
    }

    [Fact]
    public void Short_quadratic_run_passes_the_fit_quality_thresholds_an_untrained_generator_fails()
    {
        // The seed networks (G 5→128→15, D 15→128→1, Gaussian noise), but the non-saturating loss with Adam
        // 5e-4 / β1 0.5 so that a few thousand steps suffice.
        Gan gan = GanTestKit.SeedGan(3, new GanOptions { Objective = GanObjective.NonSaturating }, learningRate: 5e-4f, beta1: 0.5f);

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

using System.Diagnostics;
using System.Globalization;
using System.Text;
using GanCore.Adversarial;
using GanCore.Diagnostics;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Samples;
using GanCore.Tensors;

namespace Mixtures;

/// <summary>One row of metrics.csv (every 10th step). The gradient norms are those of the step's last D update and its G
/// update before clipping (<see cref="GanCore.Optimizers.Optimizer.LastGradientNorm"/>), NaN when <c>--clip-norm</c> is
/// off; the gradient penalty is the step's last WGAN-GP penalty (<see cref="GanStepMetrics.GradientPenalty"/>), 0 when
/// <c>--gp</c> is off.</summary>
internal readonly record struct MetricsRow(long Step, float DiscriminatorLoss, float GeneratorLoss, float RealScore, float FakeScore, float DiscriminatorGradientNorm = float.NaN, float GeneratorGradientNorm = float.NaN, float GradientPenalty = 0f);

/// <summary>How long one network's gradients were over a run, before clipping, and how often they were clipped: one
/// norm per training step, for D the norm of the step's last update (with <c>--d-steps k</c> the other k − 1 are not
/// seen: <see cref="GanCore.Optimizers.Optimizer.LastGradientNorm"/> holds only the last).</summary>
/// <param name="Median">The median norm over the steps.</param>
/// <param name="Max">The largest norm (infinite when a gradient overflowed).</param>
/// <param name="ClippedShare">The share of the steps whose norm was above the limit, so that clipping scaled it down.</param>
internal sealed record GradientNormSummary(double Median, double Max, double ClippedShare)
{
    /// <summary>Summarizes one norm per step against the limit <paramref name="clipNorm"/>, leaving out NaN (a NaN
    /// gradient stops training as diverged, so none is expected); all NaN for no norm.</summary>
    public static GradientNormSummary Of(ReadOnlySpan<float> norms, float clipNorm)
    {
        float[] sorted = [.. norms.ToArray().Where(n => !float.IsNaN(n))];
        if (sorted.Length == 0)
        {
            return new GradientNormSummary(double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(sorted);
        int clipped = sorted.Count(n => n > clipNorm);
        return new GradientNormSummary(StepStatistics.MedianOfSorted<float>(sorted), sorted[^1], (double)clipped / sorted.Length);
    }
}

/// <summary>The outcome of training, before evaluation. With <c>Divergence</c> set, training stopped at a non-finite loss or
/// parameter; the metrics and probes before it are kept, and the GAN may hold non-finite weights: do not save or sample it.
/// <para>The gradient-norm summaries are null when <c>--clip-norm</c> is off (the optimizers measure no norm then).</para></summary>
internal sealed record TrainingRun(List<MetricsRow> Metrics, List<ProbeRow> Probes, long LastStep, bool Cancelled, GanDivergenceException? Divergence, double TrainingSeconds, double MicrosecondsPerStep, double DiscriminatorLossLast500, double GeneratorLossLast500, double RealScoreLast500, double FakeScoreLast500, GradientNormSummary? DiscriminatorGradientNorm = null, GradientNormSummary? GeneratorGradientNorm = null, double GradientPenaltyLast500 = double.NaN);

/// <summary>The sample-quality measures of one set of generated points.</summary>
internal sealed record Evaluation(ModeCoverage Coverage, double FrechetDistance, PrecisionRecallResult PrecisionRecall, double BaselineFrechetDistance, PrecisionRecallResult BaselinePrecisionRecall);

/// <summary>Builds the networks, trains them and judges the samples.</summary>
internal static class Experiment
{
    /// <summary>Seeds the independent generator of the real reference sets, so evaluation never touches the training stream.</summary>
    private const ulong ReferenceSeedOffset = 0x9E3779B97F4A7C15;

    /// <summary>G = z → 128 ReLU → 128 ReLU → 2; D = 2 → 128 ReLU → 128 ReLU → 1 (a logit); width and activation from the settings.</summary>
    public static Gan Build(MixtureSettings s, MixtureDataset data)
    {
        var random = new RandomSource(s.Seed);
        var generator = new Sequential(
            new Dense(s.NoiseDimension, s.Hidden, random),
            Activation(s),
            new Dense(s.Hidden, s.Hidden, random),
            Activation(s),
            new Dense(s.Hidden, 2, random));
        int input = 2 * s.Pack; // PacGAN: D sees m points concatenated
        var discriminator = new Sequential(
            DiscriminatorDense(s.SpectralNorm, input, s.Hidden, random),
            Activation(s),
            DiscriminatorDense(s.SpectralNorm, s.Hidden, s.Hidden, random),
            Activation(s),
            DiscriminatorDense(s.SpectralNormLayers == SpectralNormLayers.All, s.Hidden, 1, random));
        Optimizer generatorOptimizer = CreateOptimizer(s, generator.Parameters);
        generatorOptimizer.GradientClipNorm = s.ClipNorm;
        Optimizer discriminatorOptimizer = CreateOptimizer(s, discriminator.Parameters);
        discriminatorOptimizer.WeightClip = s.Clip;
        discriminatorOptimizer.GradientClipNorm = s.ClipNorm;
        if (s.LearningRateDecay != "constant")
        {
            // D takes k steps per G step: each optimizer's schedule spans its own number of updates.
            generatorOptimizer.Schedule = Decay(s, s.Steps);
            discriminatorOptimizer.Schedule = Decay(s, (long)s.Steps * s.DiscriminatorSteps);
        }

        return new Gan(
            generator,
            discriminator,
            generatorOptimizer,
            discriminatorOptimizer,
            new GaussianNoise(s.NoiseDimension),
            data.Sampler(),
            random,
            new GanOptions
            {
                Objective = s.Objective,
                Schedule = s.Schedule,
                DiscriminatorSteps = s.DiscriminatorSteps,
                BatchSize = s.Batch,
                RealLabel = s.RealLabel,
                R1Gamma = s.R1Gamma,
                R1Interval = s.R1Every,
                GradientPenaltyWeight = s.GradientPenaltyWeight,
                GradientPenaltyTarget = s.GradientPenaltyTarget,
                GeneratorEmaDecay = s.Ema,
                GeneratorEmaStart = s.EmaStart,
                PackingDegree = s.Pack,
            });
    }

    private static Optimizer CreateOptimizer(MixtureSettings s, IReadOnlyList<Parameter> parameters) => s.UsesAdam
        ? new Adam(parameters, s.LearningRate, beta1: s.Beta1, beta2: s.Beta2)
        : new RmsProp(parameters, s.LearningRate);

    private static Layer DiscriminatorDense(bool normalized, int inputs, int outputs, RandomSource random) =>
        normalized ? new SpectralNormDense(inputs, outputs, random) : new Dense(inputs, outputs, random);

    private static Layer Activation(MixtureSettings s) => s.Activation == "leakyrelu" ? new LeakyReLU(0.2f) : new ReLU();

    private static LearningRateSchedule Decay(MixtureSettings s, long updates) => s.LearningRateDecay == "cosine"
        ? new CosineDecaySchedule(Math.Max(1, updates), s.LearningRateFinal)
        : new LinearDecaySchedule(Math.Max(1, updates), s.LearningRateFinal);

    /// <summary>Trains until <see cref="MixtureSettings.Steps"/> steps are done, or cancellation.</summary>
    /// <param name="gan">The GAN to train.</param>
    /// <param name="s">The run's settings.</param>
    /// <param name="onStep">Called after every step (progress), or null.</param>
    /// <param name="probe">Measures D before the first step and after every <see cref="MixtureSettings.DiagnosticsEvery"/>-th
    /// and the last, or null.</param>
    /// <param name="token">Stops training after the current step.</param>
    public static TrainingRun Train(Gan gan, MixtureSettings s, Action<GanStepMetrics>? onStep, DiscriminatorProbe? probe, CancellationToken token)
    {
        long remaining = Math.Max(0, s.Steps - gan.StepCount);
        var metrics = new List<MetricsRow>((int)(remaining / 10) + 2);
        var probes = new List<ProbeRow>();
        if (probe is not null)
        {
            probes.Add(probe.Measure(gan.StepCount));
        }

        var ticks = new long[remaining];
        bool clipping = s.ClipNorm is not null;
        float[] discriminatorNorms = clipping ? new float[remaining] : [];
        float[] generatorNorms = clipping ? new float[remaining] : [];
        var window = new GanStepMetrics[Math.Min(500, Math.Max(1, (int)remaining))];
        int windowCount = 0;
        long done = 0;
        bool cancelled = false;
        GanDivergenceException? divergence = null;
        var clock = Stopwatch.StartNew();
        for (; done < remaining; done++)
        {
            if (token.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            long t0 = Stopwatch.GetTimestamp();
            GanStepMetrics m;
            try
            {
                m = gan.Step();
            }
            catch (GanDivergenceException e)
            {
                divergence = e; // the metrics and probes so far are what shows how it got there
                break;
            }

            ticks[done] = Stopwatch.GetTimestamp() - t0;
            window[done % window.Length] = m;
            windowCount = Math.Min(windowCount + 1, window.Length);
            float dNorm = float.NaN, gNorm = float.NaN;
            if (clipping)
            {
                dNorm = discriminatorNorms[done] = gan.DiscriminatorOptimizer.LastGradientNorm;
                gNorm = generatorNorms[done] = gan.GeneratorOptimizer.LastGradientNorm;
            }

            if (m.Step % 10 == 0)
            {
                metrics.Add(new MetricsRow(m.Step, m.DiscriminatorLoss, m.GeneratorLoss, m.MeanRealScore, m.MeanFakeScore, dNorm, gNorm, m.GradientPenalty));
            }

            if (probe is not null && m.Step % s.DiagnosticsEvery == 0)
            {
                clock.Stop(); // trainingSeconds counts training only
                probes.Add(probe.Measure(m.Step));
                clock.Start();
            }

            onStep?.Invoke(m);
        }

        clock.Stop();
        if (probe is not null && divergence is null && probes[^1].Step != gan.StepCount)
        {
            probes.Add(probe.Measure(gan.StepCount));
        }

        ReadOnlySpan<GanStepMetrics> last = window.AsSpan(0, windowCount);
        return new TrainingRun(
            metrics,
            probes,
            gan.StepCount,
            cancelled,
            divergence,
            clock.Elapsed.TotalSeconds,
            StepStatistics.MedianMicroseconds(ticks.AsSpan(0, (int)done)),
            StepStatistics.Mean(last, static m => m.DiscriminatorLoss),
            StepStatistics.Mean(last, static m => m.GeneratorLoss),
            StepStatistics.Mean(last, static m => m.MeanRealScore),
            StepStatistics.Mean(last, static m => m.MeanFakeScore),
            clipping ? GradientNormSummary.Of(discriminatorNorms.AsSpan(0, (int)done), s.ClipNorm!.Value) : null,
            clipping ? GradientNormSummary.Of(generatorNorms.AsSpan(0, (int)done), s.ClipNorm!.Value) : null,
            StepStatistics.Mean(last, static m => m.GradientPenalty));
    }

    /// <summary>
    /// Mode coverage of <paramref name="generated"/>, and its Fréchet distance and precision/recall against a fresh
    /// real set of the same size. The baseline scores a second fresh real set against the first: what a perfect
    /// generator would get at this sample size.
    /// </summary>
    public static Evaluation Evaluate(Matrix generated, MixtureDataset data, ulong seed)
    {
        var referenceRandom = new RandomSource(seed ^ ReferenceSeedOffset);
        Matrix reference = data.Sample(generated.Rows, referenceRandom);
        Matrix second = data.Sample(generated.Rows, referenceRandom);
        ModeCoverage coverage = ModeCoverage.Compute(generated, data);

        // A diverged generator writes NaN or infinity: the moment-based and k-NN measures are then undefined.
        bool finite = true;
        for (int i = 0; i < generated.Rows; i++)
        {
            foreach (float v in generated.Row(i))
            {
                finite &= float.IsFinite(v);
            }
        }

        double fd = finite ? FrechetDistance.Compute(generated, reference) : double.NaN;
        PrecisionRecallResult pr = finite ? PrecisionRecall.Compute(reference, generated) : new PrecisionRecallResult(double.NaN, double.NaN);
        return new Evaluation(coverage, fd, pr, FrechetDistance.Compute(second, reference), PrecisionRecall.Compute(reference, second));
    }

    /// <summary>Writes the points as CSV with the header x,y.</summary>
    public static void WriteSamples(string path, Matrix points)
    {
        var sb = new StringBuilder("x,y\n", (points.Rows * 24) + 4);
        for (int i = 0; i < points.Rows; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{points[i, 0]:R},{points[i, 1]:R}\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes metrics.csv: step,d_loss,g_loss,d_real,d_fake (0.1.0's columns); with <paramref name="gradientNorms"/>
    /// (under <c>--clip-norm</c>) two more, d_grad_norm,g_grad_norm, the norms before clipping; then with
    /// <paramref name="gradientPenalty"/> (under <c>--gp</c>) gradient_penalty, the step's last WGAN-GP penalty.</summary>
    public static void WriteMetrics(string path, IReadOnlyList<MetricsRow> rows, bool gradientNorms = false, bool gradientPenalty = false)
    {
        var sb = new StringBuilder("step,d_loss,g_loss,d_real,d_fake", (rows.Count + 1) * 96);
        sb.Append(gradientNorms ? ",d_grad_norm,g_grad_norm" : string.Empty).Append(gradientPenalty ? ",gradient_penalty\n" : "\n");
        foreach (MetricsRow r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.DiscriminatorLoss:R},{r.GeneratorLoss:R},{r.RealScore:R},{r.FakeScore:R}");
            if (gradientNorms)
            {
                sb.Append(CultureInfo.InvariantCulture, $",{r.DiscriminatorGradientNorm:R},{r.GeneratorGradientNorm:R}");
            }

            sb.Append(gradientPenalty ? string.Create(CultureInfo.InvariantCulture, $",{r.GradientPenalty:R}\n") : "\n");
        }

        File.WriteAllText(path, sb.ToString());
    }
}

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

namespace QuadraticGan;

/// <summary>One row of metrics.csv.</summary>
internal readonly record struct MetricsRow(long Step, float DiscriminatorLoss, float GeneratorLoss, float RealScore, float FakeScore, float DiscriminatorScore);

/// <summary>The outcome of a training run, before the files are written.</summary>
internal sealed class RunResult
{
    public required Gan Gan { get; init; }

    public required List<MetricsRow> Metrics { get; init; }

    public required long FirstStep { get; init; }

    public required long LastStep { get; init; }

    public required bool Cancelled { get; init; }

    /// <summary>Why training stopped early with a non-finite loss or parameter, or null: the metrics before it are kept.
    /// After a divergence <see cref="Gan"/> may hold non-finite weights or optimizer state: do not save or sample it.</summary>
    public GanDivergenceException? Divergence { get; init; }

    public required double TrainingSeconds { get; init; }

    public required double MicrosecondsPerStep { get; init; }

    /// <summary>The first step of this run in milliseconds (mostly the just-in-time compilation of the step's kernels), or null with no step.</summary>
    public required double? FirstStepMilliseconds { get; init; }

    public required double MeanRealScoreLast500 { get; init; }

    public required double DiscriminatorScoreLast500 { get; init; }

    public required double DiscriminatorLossLast500 { get; init; }

    public required double GeneratorLossLast500 { get; init; }
}

/// <summary>Builds the experiment's networks and trains them.</summary>
internal static class Experiment
{
    /// <summary>Builds G and D as in the original experiment: G = Dense(z,128) → ReLU → Dense(128,15); D = Dense(15,128) → ReLU → Dense(128,1) (logits).
    /// Conditional: G = Dense(z+1,128) → ReLU → Dense(128,15); D = Dense(15+1,128) → ReLU → Dense(128,1), the extra column the label.</summary>
    public static Gan Build(TrainSettings s)
    {
        var random = new RandomSource(s.Seed);
        int condition = s.Conditional ? ConditionalQuadratic.WidthOf(s.LabelEncoding) : 0;
        var generator = new Sequential(new Dense(s.NoiseDimension + condition, s.Hidden, random), new ReLU(), new Dense(s.Hidden, QuadraticFamily.PointCount, random));
        var discriminator = new Sequential(new Dense(QuadraticFamily.PointCount + condition, s.Hidden, random), new ReLU(), new Dense(s.Hidden, 1, random));
        Optimizer gOptimizer = CreateOptimizer(s, generator.Parameters, s.LearningRateG);
        Optimizer dOptimizer = CreateOptimizer(s, discriminator.Parameters, s.LearningRateD);
        var options = new GanOptions { Objective = s.Objective, Schedule = s.Schedule, DiscriminatorSteps = s.DiscriminatorSteps, BatchSize = s.Batch, RealLabel = s.RealLabel };
        return s.Conditional
            ? new Gan(generator, discriminator, gOptimizer, dOptimizer, CreateNoise(s), ConditionalQuadratic.CreateSampler(s.LabelEncoding), null, random, options)
            : new Gan(generator, discriminator, gOptimizer, dOptimizer, CreateNoise(s), CreateSampler(), random, options);
    }

    /// <summary>The optimizer <paramref name="s"/> names, at <paramref name="learningRate"/>.</summary>
    public static Optimizer CreateOptimizer(TrainSettings s, IEnumerable<Parameter> parameters, float learningRate) => s.Optimizer switch
    {
        "adam" => new Adam(parameters, learningRate, beta1: s.Beta1, beta2: s.Beta2),
        "sgd" => new Sgd(parameters, learningRate, s.Momentum ?? 0f, s.Nesterov),
        "rmsprop" => new RmsProp(parameters, learningRate, momentum: s.Momentum ?? 0f),
        _ => throw new ArgumentException($"Unknown optimizer '{s.Optimizer}'."),
    };

    /// <summary>", sgd μ 0.9 (Nesterov)", ", rmsprop": the optimizer as the console and figures name it; empty for Adam, every preset's.</summary>
    public static string DescribeOptimizerUnlessAdam(TrainSettings s) => s.UsesAdam ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $", {s.Optimizer}{(s.Momentum is > 0f and float m ? $" μ {m}" : string.Empty)}{(s.Nesterov ? " (Nesterov)" : string.Empty)}");

    /// <summary>The settings' name for a stored optimizer (a resumed run's), or null for a kind the sample does not build.</summary>
    public static string? OptimizerName(Optimizer optimizer) => optimizer switch
    {
        Adam => "adam",
        Sgd => "sgd",
        RmsProp => "rmsprop",
        _ => null,
    };

    public static INoiseSource CreateNoise(TrainSettings s) => s.Noise == NoiseKind.Uniform
        ? new UniformNoise(s.NoiseDimension)
        : new GaussianNoise(s.NoiseDimension);

    /// <summary>Real "paintings": a·x² + (a − 1) on 15 points, a ~ U(1, 2) per curve.</summary>
    public static IRealDataSampler CreateSampler() =>
        new DelegateSampler(QuadraticFamily.PointCount, static (batch, random) => QuadraticFamily.Sample(random, batch));

    /// <summary>
    /// Sets both optimizers' learning-rate schedule from the settings: a linear decay from the start rates to
    /// <see cref="TrainSettings.LearningRateFinalFraction"/> of them at step <see cref="TrainSettings.Steps"/>, or
    /// the constant schedule when that fraction is 1. Schedules are not stored in checkpoints, so a resumed run calls
    /// this again; the optimizers' saved step counts continue the decay where it stopped.
    /// </summary>
    public static void ApplyLearningRateSchedule(Gan gan, TrainSettings s)
    {
        if (s.LearningRateFinalFraction == 1f)
        {
            return;
        }

        // The base rates are the start rates (a checkpoint written while a decay ran may hold a decayed rate).
        gan.GeneratorOptimizer.LearningRate = s.LearningRateG;
        gan.DiscriminatorOptimizer.LearningRate = s.LearningRateD;
        long decaySteps = Math.Max(1, s.Steps);
        gan.GeneratorOptimizer.Schedule = Decay(decaySteps, s);

        // D's optimizer steps k times per GAN step under the alternating schedule.
        int dStepsPerStep = gan.Options.Schedule == GanSchedule.Alternating ? gan.Options.DiscriminatorSteps : 1;
        gan.DiscriminatorOptimizer.Schedule = Decay(decaySteps * dStepsPerStep, s);
    }

    /// <summary>The decay of <paramref name="s"/> over <paramref name="steps"/> optimizer steps.</summary>
    private static LearningRateSchedule Decay(long steps, TrainSettings s) => s.Decay == LearningRateDecay.Cosine
        ? new CosineDecaySchedule(steps, s.LearningRateFinalFraction)
        : new LinearDecaySchedule(steps, s.LearningRateFinalFraction);

    /// <summary>Trains with <see cref="Gan.Train"/> until <see cref="TrainSettings.Steps"/> steps are done in total, or cancellation.</summary>
    public static RunResult Train(Gan gan, TrainSettings s, Action<GanStepMetrics>? onStep, Action<Gan>? onCheckpoint, CancellationToken token)
    {
        long first = gan.StepCount;
        long remaining = Math.Max(0, s.Steps - first);
        ApplyLearningRateSchedule(gan, s);

        // Like the schedule, clipping is not in the checkpoint: a new or resumed run clips as its settings say.
        gan.GeneratorOptimizer.GradientClipNorm = s.ClipNorm;
        gan.DiscriminatorOptimizer.GradientClipNorm = s.ClipNorm;
        var metrics = new List<MetricsRow>((int)(remaining / 10) + 2);
        var stepTicks = new long[remaining];
        var lastWindow = new GanStepMetrics[Math.Min(500, Math.Max(1, (int)remaining))];
        int windowCount = 0;
        long done = 0;
        var clock = Stopwatch.StartNew();
        long stepStart = Stopwatch.GetTimestamp();
        GanDivergenceException? divergence = null;
        GanTrainingResult? result = null;
        try
        {
            result = gan.Train(
                remaining,
                m =>
                {
                    // The time from the end of the previous callback to this one: the step itself.
                    stepTicks[done] = Stopwatch.GetTimestamp() - stepStart;
                    lastWindow[done % lastWindow.Length] = m;
                    windowCount = (int)Math.Min(windowCount + 1, lastWindow.Length);
                    done++;
                    if (m.Step % 10 == 0)
                    {
                        metrics.Add(new MetricsRow(m.Step, m.DiscriminatorLoss, m.GeneratorLoss, m.MeanRealScore, m.MeanFakeScore, m.DiscriminatorScore));
                    }

                    onStep?.Invoke(m);
                    if (s.CheckpointEvery > 0 && m.Step % s.CheckpointEvery == 0)
                    {
                        onCheckpoint?.Invoke(gan);
                    }

                    stepStart = Stopwatch.GetTimestamp();
                },
                token);
        }
        catch (GanDivergenceException e)
        {
            divergence = e; // the metrics logged so far are what shows how it got there
        }

        bool cancelled = result?.Cancelled ?? false;
        clock.Stop();
        ReadOnlySpan<GanStepMetrics> window = lastWindow.AsSpan(0, windowCount);
        return new RunResult
        {
            Gan = gan,
            Metrics = metrics,
            FirstStep = first,
            LastStep = gan.StepCount,
            Cancelled = cancelled,
            Divergence = divergence,
            TrainingSeconds = clock.Elapsed.TotalSeconds,
            MicrosecondsPerStep = StepStatistics.MedianMicroseconds(stepTicks.AsSpan(0, (int)done)),
            FirstStepMilliseconds = done > 0 ? stepTicks[0] * 1e3 / Stopwatch.Frequency : null,
            MeanRealScoreLast500 = StepStatistics.Mean(window, static m => m.MeanRealScore),
            DiscriminatorScoreLast500 = StepStatistics.Mean(window, static m => m.DiscriminatorScore),
            DiscriminatorLossLast500 = StepStatistics.Mean(window, static m => m.DiscriminatorLoss),
            GeneratorLossLast500 = StepStatistics.Mean(window, static m => m.GeneratorLoss),
        };
    }

    /// <summary>Writes one curve per line, 15 comma-separated numbers, no header; with <paramref name="labels"/>, a 16th column holds each curve's label (0 or 1).</summary>
    public static void WriteCurves(string path, Matrix curves, Matrix? labels = null)
    {
        var sb = new StringBuilder(curves.Rows * curves.Columns * 12);
        for (int i = 0; i < curves.Rows; i++)
        {
            Span<float> row = curves.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (j > 0)
                {
                    sb.Append(',');
                }

                sb.Append(row[j].ToString("R", CultureInfo.InvariantCulture));
            }

            if (labels is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $",{(int)labels[i, 0]}");
            }

            sb.Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    public static void WriteMetrics(string path, IReadOnlyList<MetricsRow> rows)
    {
        var sb = new StringBuilder("step,d_loss,g_loss,d_real,d_fake,d_score\n", (rows.Count + 1) * 64);
        foreach (MetricsRow r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.DiscriminatorLoss:R},{r.GeneratorLoss:R},{r.RealScore:R},{r.FakeScore:R},{r.DiscriminatorScore:R}\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>The least-squares a of every finite curve (for the histogram).</summary>
    public static double[] FittedA(Matrix curves)
    {
        var fits = new LinearFit[curves.Rows];
        QuadraticFitReport.FitRows(curves, fits);
        return fits.Select(f => f.A).Where(double.IsFinite).ToArray();
    }
}

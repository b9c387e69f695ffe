using System.Diagnostics;
using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Theory;

namespace GanTheory;

/// <summary>Settings of the Figure 1 run.</summary>
/// <param name="Seed">Seed of the training generator (weights, noise, real batches); the evaluation uses its own generator seeded from it.</param>
/// <param name="Steps">Generator updates in all.</param>
/// <param name="BatchSize">Real and generated examples per batch.</param>
/// <param name="LearningRate">Adam's step size for both networks (β₁ = 0.5, β₂ = 0.999).</param>
/// <param name="KernelSamples">Samples of G behind each kernel density estimate of p_g.</param>
internal sealed record Figure1Settings(ulong Seed, long Steps, int BatchSize, float LearningRate, int KernelSamples)
{
    /// <summary>The defaults: a few seconds of training; at seed 1 JSD falls from log 2 to about 0.05.</summary>
    public static Figure1Settings Default { get; } = new(Seed: 1, Steps: 3000, BatchSize: 64, LearningRate: 1e-3f, KernelSamples: 2000);

    /// <summary>The steps at which the four panels are drawn: the start, 1/20, 1/4 and the end of training.</summary>
    public long[] Moments => [0, Math.Max(1, Steps / 20), Math.Max(2, Steps / 4), Steps];
}

/// <summary>What the figure shows at one moment of training.</summary>
/// <param name="Step">Generator updates so far.</param>
/// <param name="Grid">The x grid of the panel.</param>
/// <param name="Data">p_data on the grid.</param>
/// <param name="Generator">p_g on the grid: the kernel density estimate of G's samples.</param>
/// <param name="Learned">σ(D(x)): the sigmoid of the network's logit on the grid.</param>
/// <param name="Optimal">D*(x) = p_data/(p_data + p_g) with the estimated p_g.</param>
/// <param name="JensenShannon">JSD(p_data‖p_g), by quadrature on the estimate.</param>
/// <param name="Wasserstein">W₁(p_data, p_g), by quadrature on the estimate.</param>
/// <param name="Spread">max |σ(D(x)) − ½| over μ ± 2σ, where p_data holds 95% of its mass.</param>
/// <param name="Kernel">The kernel density estimate of p_g.</param>
internal sealed record Figure1Moment(
    long Step,
    double[] Grid,
    double[] Data,
    double[] Generator,
    double[] Learned,
    double[] Optimal,
    double JensenShannon,
    double Wasserstein,
    double Spread,
    KernelDensity Kernel);

/// <summary>The four moments and the settings that produced them.</summary>
internal sealed record Figure1Result(IReadOnlyList<Figure1Moment> Moments, Figure1Settings Settings, double TrainingSeconds);

/// <summary>
/// Goodfellow et al. (2014), Figure 1, computed: a 1-D GAN learns p_data = N(4, 0.5²) from uniform noise, and at four
/// moments the figure shows p_data, p_g (a kernel density estimate of G's samples), the learned D and the D* that
/// follows from p_g.
/// </summary>
/// <remarks>
/// G: z ~ U(−1, 1) → Dense(1→32) → Tanh → Dense(32→32) → Tanh → Dense(32→1). D: Dense(1→32) → LeakyReLU(0.2) →
/// Dense(32→32) → LeakyReLU(0.2) → Dense(32→1), a logit. The game is the non-saturating one (D as in the minimax
/// game, G maximizes log D(G(z))), Goodfellow's own practical choice, with k = 3 D updates per G update
/// (Algorithm 1). With k = 1, or Tanh in D, D fell flat at ½ early while p_g was still a narrow spike (seeds 1–3).
/// </remarks>
internal static class Figure1
{
    /// <summary>μ of p_data: far enough from where a fresh G puts its mass (near 0) that the supports barely overlap at the start.</summary>
    public const double DataMean = 4.0;

    /// <summary>σ of p_data.</summary>
    public const double DataStandardDeviation = 0.5;

    /// <summary>D updates per G update (Goodfellow's k).</summary>
    public const int DiscriminatorSteps = 3;

    /// <summary>The run passes when JSD at the end is at most this fraction of JSD at the start (seeds 1–3 reach 0.06–0.10).</summary>
    public const double JsdRatioBound = 0.15;

    /// <summary>The run passes when max |σ(D(x)) − ½| over μ ± 2σ is at most this at the end.</summary>
    public const double SpreadBound = 0.1;

    /// <summary>Points of each panel's grid.</summary>
    public const int GridPoints = 301;

    /// <summary>p_data = N(4, 0.5²).</summary>
    public static NormalDensity Data { get; } = new(DataMean, DataStandardDeviation);

    /// <summary>Trains the GAN and records the four moments.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="progress">Called after every step with the step number; may be null.</param>
    /// <param name="cancellationToken">Stops training between steps (the moments recorded so far are returned).</param>
    public static Figure1Result Run(Figure1Settings settings, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var random = new RandomSource(settings.Seed);
        var evaluation = new RandomSource(settings.Seed ^ 0x9E3779B97F4A7C15UL);
        Sequential generator = new(new Dense(1, 32, random), new Tanh(), new Dense(32, 32, random), new Tanh(), new Dense(32, 1, random));
        Sequential discriminator = new(new Dense(1, 32, random), new LeakyReLU(0.2f), new Dense(32, 32, random), new LeakyReLU(0.2f), new Dense(32, 1, random));
        var gan = new Gan(
            generator,
            discriminator,
            new Adam(generator.Parameters, settings.LearningRate, beta1: 0.5f),
            new Adam(discriminator.Parameters, settings.LearningRate, beta1: 0.5f),
            new UniformNoise(1, -1f, 1f),
            new DelegateSampler(1, (batch, r) =>
            {
                for (int i = 0; i < batch.Rows; i++)
                {
                    batch[i, 0] = (float)r.NextGaussian(DataMean, DataStandardDeviation);
                }
            }),
            random,
            new GanOptions { Objective = GanObjective.NonSaturating, Schedule = GanSchedule.Alternating, DiscriminatorSteps = DiscriminatorSteps, BatchSize = settings.BatchSize });

        var moments = new List<Figure1Moment>();
        var stopwatch = new Stopwatch();
        foreach (long moment in settings.Moments.Distinct())
        {
            stopwatch.Start();
            while (gan.StepCount < moment)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new Figure1Result(moments, settings, stopwatch.Elapsed.TotalSeconds);
                }

                gan.Step();
                progress?.Invoke(gan.StepCount);
            }

            stopwatch.Stop();
            moments.Add(Measure(gan, settings, evaluation));
        }

        return new Figure1Result(moments, settings, stopwatch.Elapsed.TotalSeconds);
    }

    private static Figure1Moment Measure(Gan gan, Figure1Settings settings, RandomSource evaluation)
    {
        // G's samples from fresh noise of the evaluation generator, so measuring does not change training.
        var noise = new Matrix(settings.KernelSamples, 1);
        for (int i = 0; i < noise.Rows; i++)
        {
            noise[i, 0] = (float)evaluation.NextUniform(-1, 1);
        }

        Matrix output = gan.Generator.Forward(noise);
        double[] samples = new double[output.Rows];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = output[i, 0];
        }

        var kernel = new KernelDensity(samples);

        // The panel covers p_data's μ ± 4σ and the central 99.8% of p_g.
        double lower = Math.Min(DataMean - (4 * DataStandardDeviation), kernel.Quantile(0.001));
        double upper = Math.Max(DataMean + (4 * DataStandardDeviation), kernel.Quantile(0.999));
        double[] grid = new double[GridPoints];
        var input = new Matrix(GridPoints, 1);
        for (int i = 0; i < GridPoints; i++)
        {
            grid[i] = lower + ((upper - lower) * i / (GridPoints - 1));
            input[i, 0] = (float)grid[i];
        }

        Matrix logits = gan.Discriminator.Forward(input);
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(Data, kernel);
        double[] data = new double[GridPoints];
        double[] generated = new double[GridPoints];
        double[] learned = new double[GridPoints];
        double[] best = new double[GridPoints];
        double spread = 0;
        for (int i = 0; i < GridPoints; i++)
        {
            data[i] = Data.Density(grid[i]);
            generated[i] = kernel.Density(grid[i]);
            learned[i] = Sigmoid(logits[i, 0]);
            best[i] = optimal.Probability(grid[i]);
        }

        // The spread of D around ½ where the data are: on μ ± 2σ, on a grid of its own.
        var central = new Matrix(201, 1);
        for (int i = 0; i < central.Rows; i++)
        {
            central[i, 0] = (float)(DataMean + (DataStandardDeviation * (-2 + (4.0 * i / (central.Rows - 1)))));
        }

        Matrix centralLogits = gan.Discriminator.Forward(central);
        for (int i = 0; i < central.Rows; i++)
        {
            double d = Sigmoid(centralLogits[i, 0]);
            spread = Math.Max(spread, Math.Abs(d - 0.5));
        }

        return new Figure1Moment(
            gan.StepCount,
            grid,
            data,
            generated,
            learned,
            best,
            Divergences.JensenShannon(Data, kernel),
            Wasserstein.FromDistributionFunctions(Data, kernel),
            spread,
            kernel);
    }

    // σ(z) = 1/(1 + e^(−z)), from e^(−|z|) so nothing overflows: the sigmoid is applied only for plotting and measuring.
    private static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
}

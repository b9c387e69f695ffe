using System.Diagnostics;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Theory;
using MathNet.Numerics.Distributions;

namespace GanTheory;

/// <summary>Settings of one empirical check.</summary>
/// <param name="Seed">Seed of the one generator behind the samples, the initial weights and the shuffling.</param>
/// <param name="SamplesPerClass">n: samples drawn from p_data (label 1) and n from p_g (label 0).</param>
/// <param name="Epochs">Passes of <see cref="Sequential.Fit"/> over the 2n samples.</param>
/// <param name="BatchSize">Rows per mini-batch.</param>
/// <param name="LearningRate">Adam's starting step size; it decays linearly to a tenth of this over the epochs.</param>
internal sealed record EmpiricalSettings(ulong Seed, int SamplesPerClass, int Epochs, int BatchSize, float LearningRate)
{
    /// <summary>The sample's defaults, tuned to meet both bounds with margin at seed 1 in a few seconds.</summary>
    public static EmpiricalSettings Default { get; } = new(Seed: 1, SamplesPerClass: 20_000, Epochs: 10, BatchSize: 128, LearningRate: 3e-3f);
}

/// <summary>What one empirical check measured.</summary>
/// <param name="Grid">The grid over the central 95% of the mixture ½(p_data + p_g).</param>
/// <param name="Learned">σ(D(x)) of the trained network on the grid.</param>
/// <param name="Optimal">D*(x) = p_data/(p_data + p_g) on the grid.</param>
/// <param name="MaxAbsError">max over the grid of |σ(D(x)) − D*(x)|.</param>
/// <param name="WorstX">Where that maximum is attained.</param>
/// <param name="Discriminator">The trained network as a <see cref="DiscriminatorFunction"/> (from its logit), to evaluate anywhere.</param>
/// <param name="Value">V(G, D) for the learned D, by quadrature (<see cref="Game.Value"/>).</param>
/// <param name="MonteCarloValue">V(G, D) for the learned D, averaged over n fresh samples of each class, with its standard error.</param>
/// <param name="Criterion">C(G) = V(G, D*) by quadrature (<see cref="Game.VirtualTrainingCriterion"/>).</param>
/// <param name="JensenShannon">JSD(p_data‖p_g) (<see cref="Divergences.JensenShannon(IDensity, IDensity)"/>).</param>
/// <param name="FinalLoss">The last epoch's mean training loss (binary cross-entropy from logits).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="TrainingSeconds">Wall time of the training alone.</param>
internal sealed record EmpiricalResult(
    double[] Grid,
    double[] Learned,
    double[] Optimal,
    double MaxAbsError,
    double WorstX,
    DiscriminatorFunction Discriminator,
    double Value,
    MonteCarloEstimate MonteCarloValue,
    double Criterion,
    double JensenShannon,
    float FinalLoss,
    long Steps,
    double TrainingSeconds)
{
    /// <summary>−log 4 + 2·JSD(p_data‖p_g): what V(G, D) approaches as D approaches D*.</summary>
    public double Target => Game.GlobalMinimum + (2 * JensenShannon);

    /// <summary>|V(G, D) − (−log 4 + 2·JSD)|.</summary>
    public double ValueError => Math.Abs(Value - Target);

    /// <summary>Whether both error bounds hold: <see cref="EmpiricalDiscriminator.MaxAbsErrorBound"/> and <see cref="EmpiricalDiscriminator.ValueErrorBound"/>.</summary>
    public bool Passed => MaxAbsError <= EmpiricalDiscriminator.MaxAbsErrorBound && ValueError <= EmpiricalDiscriminator.ValueErrorBound;
}

/// <summary>
/// Trains a discriminator 1→32→32→1 (Tanh) on samples of two fixed distributions, N(0, 1) as real and
/// N(1.5, 0.8²) as generated, with <see cref="Sequential.Fit"/> and the binary cross-entropy from logits, then
/// compares σ(D(x)) with the optimal discriminator D* = p_data/(p_data + p_g).
/// </summary>
internal static class EmpiricalDiscriminator
{
    /// <summary>The bound on max |σ(D(x)) − D*(x)| over the central 95% of the mixture.</summary>
    public const double MaxAbsErrorBound = 0.05;

    /// <summary>The bound on |V(G, D) − (−log 4 + 2·JSD)|.</summary>
    public const double ValueErrorBound = 0.02;

    /// <summary>Points of the comparison grid.</summary>
    public const int GridPoints = 401;

    /// <summary>p_data = N(0, 1), the "real" distribution.</summary>
    public static NormalDensity Data { get; } = new(0, 1);

    /// <summary>p_g = N(1.5, 0.8²), the fixed "generated" distribution.</summary>
    public static NormalDensity Generator { get; } = new(1.5, 0.8);

    /// <summary>Runs the whole check: sample, train, compare.</summary>
    /// <param name="settings">Seed, sample count and training settings.</param>
    /// <param name="progress">Called after each epoch; may be null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public static EmpiricalResult Run(EmpiricalSettings settings, Action<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var random = new RandomSource(settings.Seed);
        Sequential discriminator = CreateDiscriminator(random);

        // The training set: n real rows labelled 1, then n generated rows labelled 0.
        int n = settings.SamplesPerClass;
        var inputs = new Matrix(2 * n, 1);
        var targets = new Matrix(2 * n, 1);
        for (int i = 0; i < n; i++)
        {
            inputs[i, 0] = (float)Data.Sample(random);
            targets[i, 0] = 1f;
            inputs[n + i, 0] = (float)Generator.Sample(random);
            targets[n + i, 0] = 0f;
        }

        var stopwatch = Stopwatch.StartNew();
        (long steps, float finalLoss) = Train(discriminator, inputs, targets, settings, random, progress, cancellationToken);
        double trainingSeconds = stopwatch.Elapsed.TotalSeconds;

        // Compare on the grid.
        (double lower, double upper) = CentralInterval(0.95);
        double[] grid = new double[GridPoints];
        for (int i = 0; i < GridPoints; i++)
        {
            grid[i] = lower + ((upper - lower) * i / (GridPoints - 1));
        }

        double[] logits = Logits(discriminator, grid);
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(Data, Generator);
        double[] learned = new double[GridPoints];
        double[] best = new double[GridPoints];
        double maxError = 0;
        double worstX = grid[0];
        for (int i = 0; i < GridPoints; i++)
        {
            learned[i] = Sigmoid(logits[i]);
            best[i] = optimal.Probability(grid[i]);
            double error = Math.Abs(learned[i] - best[i]);
            if (error > maxError)
            {
                maxError = error;
                worstX = grid[i];
            }
        }

        // V(G, D) for the learned D: exactly by quadrature, and by Monte Carlo on fresh samples.
        DiscriminatorFunction learnedFunction = AsDiscriminatorFunction(discriminator);
        double value = Game.Value(Data, Generator, learnedFunction);
        MonteCarloEstimate realTerm = Expectation.MonteCarlo(Data, learnedFunction.LogProbability, n, random);
        MonteCarloEstimate fakeTerm = Expectation.MonteCarlo(Generator, learnedFunction.LogComplement, n, random);
        var monteCarlo = new MonteCarloEstimate(
            realTerm.Mean + fakeTerm.Mean,
            Math.Sqrt((realTerm.StandardError * realTerm.StandardError) + (fakeTerm.StandardError * fakeTerm.StandardError)),
            n);

        return new EmpiricalResult(
            grid,
            learned,
            best,
            maxError,
            worstX,
            learnedFunction,
            value,
            monteCarlo,
            Game.VirtualTrainingCriterion(Data, Generator),
            Divergences.JensenShannon(Data, Generator),
            finalLoss,
            steps,
            trainingSeconds);
    }

    /// <summary>The network: Dense(1→32) → Tanh → Dense(32→32) → Tanh → Dense(32→1), whose output is the logit of D.</summary>
    public static Sequential CreateDiscriminator(RandomSource random) =>
        new(new Dense(1, 32, random), new Tanh(), new Dense(32, 32, random), new Tanh(), new Dense(32, 1, random));

    /// <summary>
    /// The interval [a, b] holding the central <paramref name="mass"/> of the mixture ½(p_data + p_g): its
    /// (1 − mass)/2 and (1 + mass)/2 quantiles, found by bisection on the mixture's distribution function.
    /// </summary>
    public static (double Lower, double Upper) CentralInterval(double mass)
    {
        double tail = (1 - mass) / 2;
        return (MixtureQuantile(tail), MixtureQuantile(1 - tail));
    }

    // Fit one epoch at a time so the learning rate can fall linearly from lr to lr/10: the late, small steps
    // average out the mini-batch noise that would otherwise remain in D.
    private static (long Steps, float FinalLoss) Train(Sequential model, Matrix inputs, Matrix targets, EmpiricalSettings settings, RandomSource random, Action<FitProgress>? progress, CancellationToken cancellationToken)
    {
        var optimizer = new Adam(model.Parameters, settings.LearningRate);
        var loss = new BinaryCrossEntropyWithLogits();
        var options = new FitOptions { Epochs = 1, BatchSize = settings.BatchSize, Shuffle = true, Random = random };
        long steps = 0;
        float finalLoss = float.NaN;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            double fraction = settings.Epochs == 1 ? 0 : (epoch - 1.0) / (settings.Epochs - 1);
            optimizer.LearningRate = settings.LearningRate * (float)(1 - (0.9 * fraction));
            FitResult result = model.Fit(inputs, targets, loss, optimizer, options, cancellationToken: cancellationToken);
            steps += result.Steps;
            finalLoss = result.FinalLoss;
            progress?.Invoke(new FitProgress(epoch, settings.Epochs, steps, finalLoss));
        }

        return (steps, finalLoss);
    }

    private static double[] Logits(Sequential model, double[] xs)
    {
        var input = new Matrix(xs.Length, 1);
        for (int i = 0; i < xs.Length; i++)
        {
            input[i, 0] = (float)xs[i];
        }

        Matrix output = model.Forward(input);
        double[] logits = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            logits[i] = output[i, 0];
        }

        return logits;
    }

    // The learned D as a function of one point, for the quadrature and Monte Carlo of V(G, D).
    private static DiscriminatorFunction AsDiscriminatorFunction(Sequential model)
    {
        var input = new Matrix(1, 1);
        return DiscriminatorFunction.FromLogit(x =>
        {
            input[0, 0] = (float)x;
            return model.Forward(input)[0, 0];
        });
    }

    // σ(z) = 1/(1 + e^(−z)), from e^(−|z|) so nothing overflows.
    private static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    private static double MixtureCdf(double x) =>
        (0.5 * Normal.CDF(Data.Mean, Data.StandardDeviation, x)) + (0.5 * Normal.CDF(Generator.Mean, Generator.StandardDeviation, x));

    private static double MixtureQuantile(double probability)
    {
        double low = -20;
        double high = 20;
        for (int i = 0; i < 200 && high - low > 1e-12; i++)
        {
            double middle = 0.5 * (low + high);
            if (MixtureCdf(middle) < probability)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return 0.5 * (low + high);
    }
}

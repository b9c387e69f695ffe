using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GanCore.Samples;
using GanCore.Theory;

namespace GanTheory;

/// <summary>
/// The command line. By default it trains a discriminator against a fixed generator and compares it with D*;
/// with --exact it prints the table of exact checks instead. Exit codes: 0 done, 1 a bound was missed, 2 bad input.
/// </summary>
internal static class Cli
{
    public const int ExitOk = 0;
    public const int ExitBoundMissed = 1;
    public const int ExitBadInput = 2;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static int Run(string[] args, CancellationToken cancellationToken = default)
    {
        EmpiricalSettings defaults = EmpiricalSettings.Default;
        var seed = new Option<ulong?>("--seed") { Description = $"Seed of the one random generator behind samples, weights and shuffling. Default {defaults.Seed}." };
        var samples = new Option<int?>("--samples") { Description = $"Training samples per class (real and generated). Default {defaults.SamplesPerClass}." };
        var epochs = new Option<int?>("--epochs") { Description = $"Passes over the training set. Default {defaults.Epochs}." };
        var batch = new Option<int?>("--batch") { Description = $"Mini-batch size. Default {defaults.BatchSize}." };
        var learningRate = new Option<float?>("--lr") { Description = $"Adam's starting learning rate (it decays linearly to a tenth). Default {defaults.LearningRate.ToString(Ci)}." };
        var output = new Option<string?>("--out") { Description = "Output folder for theory.png. Default out/." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG figure." };
        var exact = new Option<bool>("--exact") { Description = "Print the table of exact checks (C(G), KL, JSD, V(G, D*) against closed forms) and exit; no training." };

        var root = new RootCommand(
            "Trains a discriminator to tell N(0, 1) (real) from N(1.5, 0.8²) (generated) and checks that it approaches "
            + "the optimal D* = p_data/(p_data + p_g) and that V(G, D) approaches −log 4 + 2·JSD. "
            + "Exit codes: 0 both bounds met, 1 a bound missed, 2 bad input.");
        foreach (Option o in new Option[] { seed, samples, epochs, batch, learningRate, output, noPlots, exact })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            if (parse.GetValue(exact))
            {
                PrintExactChecks();
                return ExitOk;
            }

            EmpiricalSettings settings = defaults with
            {
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                SamplesPerClass = parse.GetValue(samples) ?? defaults.SamplesPerClass,
                Epochs = parse.GetValue(epochs) ?? defaults.Epochs,
                BatchSize = parse.GetValue(batch) ?? defaults.BatchSize,
                LearningRate = parse.GetValue(learningRate) ?? defaults.LearningRate,
            };
            string directory = parse.GetValue(output) ?? "out";
            bool plots = !parse.GetValue(noPlots);
            string? problem = Validate(settings, directory);
            if (problem is null && plots)
            {
                problem = SampleConsole.PrepareOutput(directory);
            }

            return problem is null ? RunEmpirical(settings, plots ? directory : null, cancellationToken) : SampleConsole.Fail(ExitBadInput, problem);
        });

        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            return SampleConsole.Fail(ExitBadInput, result.Errors[0].Message + " (see --help)");
        }

        return result.Invoke();
    }

    private static string? Validate(EmpiricalSettings s, string directory)
    {
        if (s.SamplesPerClass < 2)
        {
            return $"--samples must be at least 2 (got {s.SamplesPerClass}).";
        }

        if (s.SamplesPerClass > 10_000_000)
        {
            return $"--samples must be at most 10000000 (got {s.SamplesPerClass}).";
        }

        if (s.Epochs < 1)
        {
            return $"--epochs must be at least 1 (got {s.Epochs}).";
        }

        if (s.BatchSize < 1)
        {
            return $"--batch must be at least 1 (got {s.BatchSize}).";
        }

        if (!(s.LearningRate > 0) || !float.IsFinite(s.LearningRate))
        {
            return $"--lr must be a finite number > 0 (got {s.LearningRate.ToString(Ci)}).";
        }

        return string.IsNullOrWhiteSpace(directory) ? "--out must name a folder." : null;
    }



    private static int RunEmpirical(EmpiricalSettings s, string? directory, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine(string.Create(Ci, $"p_data = N(0, 1) (label 1), p_g = N(1.5, 0.8²) (label 0); D: 1→32→32→1 (Tanh), BCE from logits, Adam lr {s.LearningRate} → {s.LearningRate / 10}"));
        Console.WriteLine(string.Create(Ci, $"training on {s.SamplesPerClass} samples per class, {s.Epochs} epochs, batch {s.BatchSize}, seed {s.Seed}"));
        // Balanced classes make the mean BCE −V/2, so the loss of D* is −C(G)/2.
        double optimalLoss = -Game.VirtualTrainingCriterion(EmpiricalDiscriminator.Data, EmpiricalDiscriminator.Generator) / 2;
        int every = Math.Max(1, s.Epochs / 5);
        EmpiricalResult r = EmpiricalDiscriminator.Run(
            s,
            p =>
            {
                if (p.Epoch % every == 0 || p.Epoch == p.Epochs)
                {
                    Console.WriteLine(string.Create(Ci, $"epoch {p.Epoch,4}/{p.Epochs}  loss {p.Loss:F5}  (D* would score {optimalLoss:F5})"));
                }
            },
            cancellationToken);

        if (directory is not null)
        {
            Plots.Theory(Path.Combine(directory, "theory.png"), r, s);
        }

        bool errorOk = r.MaxAbsError <= EmpiricalDiscriminator.MaxAbsErrorBound;
        bool valueOk = r.ValueError <= EmpiricalDiscriminator.ValueErrorBound;
        Console.WriteLine();
        Line("central 95% of ½(p_data + p_g)", $"[{r.Grid[0]:F3}, {r.Grid[^1]:F3}], {EmpiricalDiscriminator.GridPoints} grid points");
        Line("max |σ(D(x)) − D*(x)| on it", $"{r.MaxAbsError:F4} at x = {r.WorstX:F3}   (bound {EmpiricalDiscriminator.MaxAbsErrorBound}: {(errorOk ? "ok" : "MISSED")})");
        Line("V(G, D), quadrature", $"{r.Value:F5}   |V − target| = {r.ValueError:F5}   (bound {EmpiricalDiscriminator.ValueErrorBound}: {(valueOk ? "ok" : "MISSED")})");
        Line("V(G, D), Monte Carlo", $"{r.MonteCarloValue.Mean:F5} ± {r.MonteCarloValue.StandardError:F5}   ({r.MonteCarloValue.SampleCount} fresh samples per class)");
        Line("target −log 4 + 2·JSD", $"{r.Target:F5}   (JSD = {r.JensenShannon:F5})");
        Line("C(G) = V(G, D*), quadrature", $"{r.Criterion:F5}   (V(G, D) ≤ C(G) for every D)");
        Line("final training loss", $"{r.FinalLoss:F5}   (D* would score −C(G)/2 = {-r.Criterion / 2:F5})");
        Line("time", $"{r.TrainingSeconds:F2} s training ({r.Steps} steps), {total.Elapsed.TotalSeconds:F2} s in all");
        Console.WriteLine(string.Create(
            Ci,
            $"{(errorOk && valueOk ? "ok" : "bound missed")}: max |D − D*| {r.MaxAbsError:F4} (≤ 0.05), V {r.Value:F4} vs −log 4 + 2·JSD {r.Target:F4} (|Δ| {r.ValueError:F4} ≤ 0.02); {total.Elapsed.TotalSeconds:F2} s{(directory is null ? string.Empty : $"; wrote {Path.Combine(directory, "theory.png")}")}"));
        return errorOk && valueOk ? ExitOk : ExitBoundMissed;
    }

    private static void PrintExactChecks()
    {
        Console.WriteLine($"{"",-34}{"computed",18}{"closed form",18}{"|difference|",14}");
        double worst = 0;
        string? group = null;
        foreach (ExactCheck c in ExactChecks.Compute())
        {
            if (c.Check != group)
            {
                group = c.Check;
                Console.WriteLine(group);
            }

            Console.WriteLine(string.Create(Ci, $"  {c.Case,-32}{c.Computed,18:F12}{c.Expected,18:F12}{c.Error,14:0.0E+0}"));
            worst = Math.Max(worst, c.Error);
        }

        Console.WriteLine(string.Create(Ci, $"largest difference {worst:0.0E+0}; every computed value is a quadrature, every closed form a formula"));
    }

    private static void Line(string name, FormattableString value) => Console.WriteLine($"{name,-32}{value.ToString(Ci)}");
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GanCore.Samples;
using GanCore.Theory;
using Spectre.Console;

namespace GanTheory;

/// <summary>
/// The command line. By default it trains a discriminator against a fixed generator and compares it with D*;
/// with --exact it prints the table of exact checks instead; with --wasserstein the parallel-lines table and plot;
/// with --figure1 it trains a 1-D GAN and draws Goodfellow et al.'s Figure 1. Exit codes: 0 done, 1 a bound was
/// missed, 2 bad input.
/// </summary>
internal static class Cli
{
    public const int ExitOk = SampleConsole.ExitOk;
    public const int ExitBoundMissed = 1;
    public const int ExitBadInput = SampleConsole.ExitBadInput;

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
        var exact = new Option<bool>("--exact") { Description = "Print the table of exact checks (C(G), KL, JSD, V(G, D*), W₁ against closed forms) and exit; no training." };
        Figure1Settings figureDefaults = Figure1Settings.Default;
        var wasserstein = new Option<bool>("--wasserstein") { Description = "Print JSD, W₁ and KL for Arjovsky et al.'s parallel lines against θ and write theory-wasserstein.png; no training." };
        var figure1 = new Option<bool>("--figure1") { Description = $"Train a 1-D GAN onto N(4, 0.5²) and draw Goodfellow et al.'s Figure 1 (p_data, p_g, D, D*) at four moments to figure1.png. Uses --seed, --batch (default {figureDefaults.BatchSize}), --lr (default {figureDefaults.LearningRate.ToString(Ci)}), --steps." };
        var steps = new Option<long?>("--steps") { Description = $"With --figure1: generator updates in all (at least 4). Default {figureDefaults.Steps}." };

        var root = new RootCommand(
            "Trains a discriminator to tell N(0, 1) (real) from N(1.5, 0.8²) (generated) and checks that it approaches "
            + "the optimal D* = p_data/(p_data + p_g) and that V(G, D) approaches −log 4 + 2·JSD. "
            + "With --wasserstein: the parallel-lines example (JSD = log 2 but W₁ = |θ|). With --figure1: Goodfellow et al.'s "
            + "Figure 1 from a GAN trained with GanCore. Exit codes: 0 done (bounds met), 1 a bound missed, 2 bad input.");
        foreach (Option o in new Option[] { seed, samples, epochs, batch, learningRate, output, noPlots, exact, wasserstein, figure1, steps })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            string[] modes = [.. new[] { ("--exact", exact), ("--wasserstein", wasserstein), ("--figure1", figure1) }.Where(m => parse.GetValue(m.Item2)).Select(m => m.Item1)];
            if (modes.Length > 1)
            {
                return SampleConsole.Fail(ExitBadInput, $"{string.Join(" and ", modes)} cannot be combined; choose one.");
            }

            if (!parse.GetValue(figure1) && parse.GetResult(steps) is not null)
            {
                return SampleConsole.Fail(ExitBadInput, "--steps applies only to --figure1.");
            }

            if (parse.GetValue(exact))
            {
                PrintExactChecks();
                return ExitOk;
            }

            string folder = parse.GetValue(output) ?? "out";
            bool draw = !parse.GetValue(noPlots);
            if (parse.GetValue(wasserstein))
            {
                string? bad = string.IsNullOrWhiteSpace(folder) ? "--out must name a folder." : draw ? SampleConsole.PrepareOutput(folder) : null;
                return bad is null ? RunWasserstein(draw ? folder : null) : SampleConsole.Fail(ExitBadInput, bad);
            }

            if (parse.GetValue(figure1))
            {
                if (parse.GetResult(samples) is not null || parse.GetResult(epochs) is not null)
                {
                    return SampleConsole.Fail(ExitBadInput, "--samples and --epochs do not apply to --figure1 (use --steps).");
                }

                Figure1Settings figureSettings = figureDefaults with
                {
                    Seed = parse.GetValue(seed) ?? figureDefaults.Seed,
                    Steps = parse.GetValue(steps) ?? figureDefaults.Steps,
                    BatchSize = parse.GetValue(batch) ?? figureDefaults.BatchSize,
                    LearningRate = parse.GetValue(learningRate) ?? figureDefaults.LearningRate,
                };
                string? bad = ValidateFigure1(figureSettings, folder);
                if (bad is null && draw)
                {
                    bad = SampleConsole.PrepareOutput(folder);
                }

                return bad is null ? RunFigure1(figureSettings, draw ? folder : null, cancellationToken) : SampleConsole.Fail(ExitBadInput, bad);
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
        if (SampleConsole.CommandLineProblem(result) is string problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
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



    private static string? ValidateFigure1(Figure1Settings s, string directory)
    {
        if (s.Steps < 4 || s.Steps > 10_000_000)
        {
            return $"--steps must be between 4 and 10000000 (got {s.Steps}).";
        }

        if (s.BatchSize < 1 || s.BatchSize > 1 << 20)
        {
            return $"--batch must be between 1 and 1048576 (got {s.BatchSize}).";
        }

        if (!(s.LearningRate > 0) || !float.IsFinite(s.LearningRate))
        {
            return $"--lr must be a finite number > 0 (got {s.LearningRate.ToString(Ci)}).";
        }

        return string.IsNullOrWhiteSpace(directory) ? "--out must name a folder." : null;
    }

    private static int RunWasserstein(string? directory)
    {
        Console.WriteLine("P₀ = (0, Y), P_θ = (θ, Y), Y ~ U(0, 1): two vertical unit segments |θ| apart (Arjovsky et al. 2017, Example 1)");
        Console.WriteLine($"{"θ",8}{"JSD(P₀‖P_θ)",16}{"W₁(P₀, P_θ)",16}{"KL(P₀‖P_θ)",14}");
        foreach (ParallelLinesRow r in ParallelLinesTable.Compute(ParallelLinesTable.TableThetas))
        {
            Console.WriteLine(string.Create(Ci, $"{r.Theta,8:0.##}{r.JensenShannon,16:F6}{r.Wasserstein,16:F6}{(double.IsPositiveInfinity(r.KullbackLeibler) ? "+∞" : r.KullbackLeibler.ToString("F6", Ci)),14}"));
        }

        Console.WriteLine(string.Create(Ci, $"JSD is log 2 = {Math.Log(2):F6} for every θ ≠ 0 and KL is +∞: neither says how far apart the segments are. W₁ = |θ| does."));
        if (directory is not null)
        {
            string path = Path.Combine(directory, "theory-wasserstein.png");
            Plots.Wasserstein(path, ParallelLinesTable.Compute(ParallelLinesTable.PlotThetas));
            Console.WriteLine($"wrote {path}");
        }

        return ExitOk;
    }

    private static int RunFigure1(Figure1Settings s, string? directory, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine(string.Create(Ci, $"p_data = N({Figure1.DataMean}, {Figure1.DataStandardDeviation}²); G: z ~ U(−1, 1) → 1→32→32→1 (Tanh); D: 1→32→32→1 (LeakyReLU 0.2) → logit"));
        Console.WriteLine(string.Create(Ci, $"non-saturating GAN, {Figure1.DiscriminatorSteps} D steps per G step, Adam lr {s.LearningRate} (β₁ 0.5), batch {s.BatchSize}, {s.Steps} steps, seed {s.Seed}; p_g = Gaussian KDE (Silverman) of {s.KernelSamples} samples of G"));
        Figure1Result result = TrainFigure1WithProgress(s, cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"{"step",8}{"JSD(p_data‖p_g)",18}{"W₁(p_data, p_g)",18}{"max |D − ½| on μ ± 2σ",24}{"KDE bandwidth",15}");
        foreach (Figure1Moment m in result.Moments)
        {
            Console.WriteLine(string.Create(Ci, $"{m.Step,8}{m.JensenShannon,18:F5}{m.Wasserstein,18:F4}{m.Spread,24:F4}{m.Kernel.Bandwidth,15:F4}"));
        }

        if (result.Moments.Count < s.Moments.Distinct().Count())
        {
            Console.WriteLine("cancelled before the last moment");
            return ExitOk;
        }

        if (directory is not null)
        {
            string path = Path.Combine(directory, "figure1.png");
            Plots.Figure1(path, result);
            Console.WriteLine($"wrote {path}");
        }

        Figure1Moment first = result.Moments[0];
        Figure1Moment last = result.Moments[^1];
        bool fell = last.JensenShannon <= Figure1.JsdRatioBound * first.JensenShannon;
        bool flat = last.Spread <= Figure1.SpreadBound;
        Console.WriteLine(string.Create(
            Ci,
            $"{(fell && flat ? "ok" : "bound missed")}: JSD {first.JensenShannon:F4} → {last.JensenShannon:F4} (bound: ≤ {Figure1.JsdRatioBound} × start), max |D − ½| at the end {last.Spread:F3} (bound {Figure1.SpreadBound}); {result.TrainingSeconds:F2} s training, {total.Elapsed.TotalSeconds:F2} s in all"));
        return fell && flat ? ExitOk : ExitBoundMissed;
    }

    private static Figure1Result TrainFigure1WithProgress(Figure1Settings s, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            long every = Math.Max(1, s.Steps / 10);
            return Figure1.Run(
                s,
                step =>
                {
                    if (step % every == 0 || step == s.Steps)
                    {
                        Console.WriteLine(string.Create(Ci, $"step {step,8}/{s.Steps}"));
                    }
                },
                cancellationToken);
        }

        Figure1Result? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("training the Figure 1 GAN", maxValue: s.Steps);
                result = Figure1.Run(
                    s,
                    step =>
                    {
                        if (step % 50 == 0 || step == s.Steps)
                        {
                            task.Value = step;
                        }
                    },
                    cancellationToken);
            });
        return result!;
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

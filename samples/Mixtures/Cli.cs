using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Diagnostics;
using GanCore.Samples;
using GanCore.Tensors;
using Spectre.Console;

namespace Mixtures;

/// <summary>The command line. Exit codes: 0 done, 2 bad input, 3 divergence, 130 cancelled.</summary>
internal static class Cli
{
    public const int ExitOk = SampleConsole.ExitOk;
    public const int ExitBadInput = SampleConsole.ExitBadInput;
    public const int ExitDiverged = SampleConsole.ExitDiverged;
    public const int ExitCancelled = SampleConsole.ExitCancelled;

    private static JsonSerializerOptions Json => SampleConsole.ReportJson;

    public static int Run(string[] args, CancellationToken cancellationToken = default)
    {
        var dataset = new Option<string?>("--dataset") { Description = "ring (8 Gaussians on a circle of radius 2, σ 0.02; default) | grid (25 Gaussians at {−4,−2,0,2,4}², σ 0.05)." };
        var preset = new Option<string?>("--preset") { Description = "original (the plain recipe: non-saturating loss, Adam 1e-3 β1 0.5, batch 256, 10,000 steps; default) | tuned (D's hidden layers spectrally normalized, generator EMA 0.999, 20,000 steps, the hinge loss on the grid and the non-saturating loss on the ring: every mode covered and ≥ 90% of points within 3σ on 9 of the 10 runs of seeds 1–5, ring and grid, and on 65 of grid seeds 1–80; docs/mixtures.md) | tuned-r1 (the tuned preset until 2026-12-07: R1 γ 1 on every D update in place of the normalization; 49 of grid seeds 1–80)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the one random generator behind weights, noise and data. Default 1." };
        var steps = new Option<int?>("--steps") { Description = "Training steps (generator updates). Original preset: 10000." };
        var schedule = new Option<string?>("--schedule") { Description = "alternating (one D update, then one G update; original preset) | simultaneous (both from one forward pass)." };
        var objective = new Option<string?>("--objective") { Description = "nonsaturating (original preset) | minimax (alias original: Goodfellow et al. 2014's value function) | leastsquares | wasserstein (a critic; pair with --clip and --d-steps 5) | hinge." };
        var clip = new Option<float?>("--clip") { Description = "Weight clipping of D (the critic): after every D update each parameter is clamped to [−C, C] (WGAN: 0.01). Default off." };
        var clipNorm = new Option<float?>("--clip-norm") { Description = "Gradient clipping by global norm, on G and D each: a network's gradients, all its parameters together, are scaled down to this L2 norm when they are longer. metrics.csv gains their norms before clipping, report.json their median, largest and clipped share, gradient-norms.png the figure (for D, the last of a step's --d-steps updates). Default off." };
        var dSteps = new Option<int?>("--d-steps") { Description = "D updates per G update under the alternating schedule (WGAN: 5; spectral normalization of every layer: 3 or more). Default 1." };
        var noiseDim = new Option<int?>("--noise-dim") { Description = "Dimension of the Gaussian latent z. Original preset: 2." };
        var hidden = new Option<int?>("--hidden") { Description = "Units in each of the two hidden layers of G and D. Original preset: 128." };
        var activation = new Option<string?>("--activation") { Description = "relu (original preset) | leakyrelu (slope 0.2): the hidden activation of G and D." };
        var batch = new Option<int?>("--batch") { Description = "Examples per batch, real and fake alike. Original preset: 256." };
        var lr = new Option<float?>("--lr") { Description = "The learning rate of G's and D's optimizers. Original preset: 1e-3." };
        var optimizer = new Option<string?>("--optimizer") { Description = "adam (every preset) | rmsprop (PyTorch's α 0.99, ε 1e-8, no momentum; the WGAN paper's optimizer, with --lr 5e-5): the optimizer of G and D, at --lr." };
        var beta1 = new Option<float?>("--beta1") { Description = "Adam's β1 for G and D, in [0, 1). Original preset: 0.5." };
        var beta2 = new Option<float?>("--beta2") { Description = "Adam's β2 for G and D, in [0, 1). Default 0.999." };
        var lrDecay = new Option<string?>("--lr-decay") { Description = "constant (original preset) | linear | cosine: both learning rates fall over the run to --lr-final times --lr." };
        var lrFinal = new Option<float?>("--lr-final") { Description = "The factor of --lr reached at the last step under --lr-decay linear or cosine, in (0, 1]. Default 0.01." };
        var realLabel = new Option<float?>("--real-label") { Description = "Target of real examples in D's loss, in (0.5, 1]; below 1 is one-sided label smoothing (0.9). Default 1." };
        var r1 = new Option<float?>("--r1") { Description = "γ of the R1 gradient penalty γ/2·E‖∇ₓD(x)‖² on real data (Mescheder et al. 2018). Default 0: off." };
        var r1Every = new Option<int?>("--r1-every") { Description = "Lazy R1: the penalty on every N-th D update only, scaled by N. Default 1." };
        var gp = new Option<float?>("--gp") { Description = "λ of the WGAN-GP gradient penalty λ·E(‖∇ₓD(x̂)‖ − t)² on interpolates x̂ between real and generated points, one more D pass per D update (Gulrajani et al. 2017: λ 10 in the paper, 0.1 in their released toy code); pair with --objective wasserstein --d-steps 5 in place of --clip. metrics.csv gains gradient_penalty, report.json final.gradientPenalty. Default 0: off." };
        var gpTarget = new Option<float?>("--gp-target") { Description = "t, the slope the --gp penalty pulls ‖∇ₓD(x̂)‖ towards: 1 (default; the 1-Lipschitz critic) or 0 (a zero-centered penalty)." };
        var spectralNorm = new Option<string?>("--spectral-norm")
        {
            Description = "Spectrally normalize D's Dense layers (Miyato et al. 2018): W/σ(W), one power iteration per step. all (also given bare, or as true): the three layers; pair with --d-steps 3 or more (with one D update the grid loses its modes). hidden (the tuned preset's): the two hidden layers, the output layer left plain; one D update is enough (docs/mixtures.md). Give false (or none) to turn a preset's off.",
            HelpName = "all|hidden|none",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? "all" : result.Tokens[0].Value,
        };
        var ema = new Option<float?>("--ema") { Description = "β of the generator's exponential moving average, which draws the samples (Yazıcı et al. 2019), in [0, 1). Default 0: off." };
        var emaStart = new Option<long?>("--ema-start") { Description = "The first G update that enters the average (earlier ones are followed exactly). Default 1." };
        var diagnosticsEvery = new Option<int?>("--diagnostics-every") { Description = "Every N steps (and before the first and after the last), measure D into discriminator.csv and discriminator.png: the largest singular value of each weight matrix (the unnormalized W of a spectrally normalized layer) and D's mean output and mean slope ‖∇ₓD‖ on 256 fresh real and 256 generated rows of its input (256·M points each under --pack M). D runs in inference mode on a random stream of its own, so training is unchanged. Default 0: off." };
        var pack = new Option<int?>("--pack") { Description = "PacGAN packing degree m (Lin et al. 2018): D judges m samples concatenated; must divide --batch. Default 1: off." };
        var output = new Option<string?>("--out") { Description = "Output folder. Default out/." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG figures." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only errors, notes (on standard error) and the final one-line summary." };

        var root = new RootCommand("Trains a GAN on a 2-D mixture of Gaussians (ring or grid) and writes 2,500 samples, mode coverage, Fréchet distance, precision/recall, plots and a report.");
        foreach (Option o in new Option[] { dataset, preset, seed, steps, schedule, objective, clip, clipNorm, dSteps, noiseDim, hidden, activation, batch, lr, optimizer, beta1, beta2, lrDecay, lrFinal, realLabel, r1, r1Every, gp, gpTarget, spectralNorm, ema, emaStart, pack, diagnosticsEvery, output, noPlots, quiet })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            MixtureSettings s;
            MixtureDataset data;
            try
            {
                string name = parse.GetValue(dataset) ?? MixtureSettings.OriginalPreset.Dataset;
                MixtureSettings p = MixtureSettings.ForPreset(parse.GetValue(preset) ?? "original", name);
                data = MixtureDataset.ForName(name);
                s = p with
                {
                    Dataset = name,
                    Seed = parse.GetValue(seed) ?? p.Seed,
                    Steps = parse.GetValue(steps) ?? p.Steps,
                    Schedule = ParseSchedule(parse.GetValue(schedule)) ?? p.Schedule,
                    Objective = ParseObjective(parse.GetValue(objective)) ?? p.Objective,
                    Clip = parse.GetValue(clip) ?? p.Clip,
                    ClipNorm = parse.GetValue(clipNorm) ?? p.ClipNorm,
                    DiscriminatorSteps = parse.GetValue(dSteps) ?? p.DiscriminatorSteps,
                    NoiseDimension = parse.GetValue(noiseDim) ?? p.NoiseDimension,
                    Hidden = parse.GetValue(hidden) ?? p.Hidden,
                    Activation = ParseActivation(parse.GetValue(activation)) ?? p.Activation,
                    Batch = parse.GetValue(batch) ?? p.Batch,
                    LearningRate = parse.GetValue(lr) ?? p.LearningRate,
                    Optimizer = ParseOptimizer(parse.GetValue(optimizer)) ?? p.Optimizer,
                    Beta1 = parse.GetValue(beta1) ?? p.Beta1,
                    Beta2 = parse.GetValue(beta2) ?? p.Beta2,
                    LearningRateDecay = ParseDecay(parse.GetValue(lrDecay)) ?? p.LearningRateDecay,
                    LearningRateFinal = parse.GetValue(lrFinal) ?? p.LearningRateFinal,
                    RealLabel = parse.GetValue(realLabel) ?? p.RealLabel,
                    R1Gamma = parse.GetValue(r1) ?? p.R1Gamma,
                    R1Every = parse.GetValue(r1Every) ?? p.R1Every,
                    GradientPenaltyWeight = parse.GetValue(gp) ?? p.GradientPenaltyWeight,
                    GradientPenaltyTarget = parse.GetValue(gpTarget) ?? p.GradientPenaltyTarget,
                    SpectralNormLayers = ParseSpectralNorm(parse.GetValue(spectralNorm)) ?? p.SpectralNormLayers,
                    Ema = parse.GetValue(ema) ?? p.Ema,
                    EmaStart = parse.GetValue(emaStart) ?? p.EmaStart,
                    Pack = parse.GetValue(pack) ?? p.Pack,
                    DiagnosticsEvery = parse.GetValue(diagnosticsEvery) ?? p.DiagnosticsEvery,
                    OutputDirectory = parse.GetValue(output) ?? p.OutputDirectory,
                    NoPlots = parse.GetValue(noPlots),
                    Quiet = parse.GetValue(quiet),
                };
                if (s.Steps < 0)
                {
                    throw new ArgumentException($"--steps must be ≥ 0 (got {s.Steps}).");
                }

                if (s.Clip is { } c && !(c > 0f && float.IsFinite(c)))
                {
                    throw new ArgumentException($"--clip must be a finite number > 0 (got {c.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (s.ClipNorm is { } cn && !(cn > 0f && float.IsFinite(cn)))
                {
                    throw new ArgumentException($"--clip-norm must be a finite number > 0 (got {cn.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (s.DiscriminatorSteps < 1)
                {
                    throw new ArgumentException($"--d-steps must be ≥ 1 (got {s.DiscriminatorSteps}).");
                }

                if (s.NoiseDimension < 1)
                {
                    throw new ArgumentException($"--noise-dim must be ≥ 1 (got {s.NoiseDimension}).");
                }

                if (s.Hidden < 1)
                {
                    throw new ArgumentException($"--hidden must be ≥ 1 (got {s.Hidden}).");
                }

                if (s.Batch < 1)
                {
                    throw new ArgumentException($"--batch must be ≥ 1 (got {s.Batch}).");
                }

                if (!(s.LearningRate > 0f && float.IsFinite(s.LearningRate)))
                {
                    throw new ArgumentException($"--lr must be a finite number > 0 (got {s.LearningRate.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (!(s.Beta1 >= 0f && s.Beta1 < 1f))
                {
                    throw new ArgumentException($"--beta1 must be in [0, 1) (got {s.Beta1.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (!(s.Beta2 >= 0f && s.Beta2 < 1f))
                {
                    throw new ArgumentException($"--beta2 must be in [0, 1) (got {s.Beta2.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (!s.UsesAdam && (parse.GetResult(beta1) is not null || parse.GetResult(beta2) is not null))
                {
                    throw new ArgumentException($"--beta1 and --beta2 set Adam's moments; --optimizer {s.Optimizer} has none.");
                }

                if (!(s.LearningRateFinal > 0f && s.LearningRateFinal <= 1f))
                {
                    throw new ArgumentException($"--lr-final must be in (0, 1] (got {s.LearningRateFinal.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (!(s.RealLabel > 0.5f && s.RealLabel <= 1f))
                {
                    throw new ArgumentException($"--real-label must be in (0.5, 1] (got {s.RealLabel.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (s.RealLabel != 1f && s.Objective is GanObjective.Wasserstein or GanObjective.Hinge)
                {
                    throw new ArgumentException($"--real-label must be 1 with --objective {s.Objective.ToString().ToLowerInvariant()}: it has no label to smooth.");
                }

                if (!(s.R1Gamma >= 0f && float.IsFinite(s.R1Gamma)))
                {
                    throw new ArgumentException($"--r1 must be a finite number ≥ 0 (got {s.R1Gamma.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (s.R1Every < 1)
                {
                    throw new ArgumentException($"--r1-every must be ≥ 1 (got {s.R1Every}).");
                }

                if (!(s.GradientPenaltyWeight >= 0f && float.IsFinite(s.GradientPenaltyWeight)))
                {
                    throw new ArgumentException($"--gp must be a finite number ≥ 0 (got {s.GradientPenaltyWeight.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (!(s.GradientPenaltyTarget >= 0f && float.IsFinite(s.GradientPenaltyTarget)))
                {
                    throw new ArgumentException($"--gp-target must be a finite number ≥ 0 (got {s.GradientPenaltyTarget.ToString(CultureInfo.InvariantCulture)}).");
                }

                if (s.GradientPenaltyWeight == 0f && parse.GetResult(gpTarget) is not null)
                {
                    throw new ArgumentException("--gp-target sets the slope the --gp penalty pulls towards; give --gp λ > 0 with it.");
                }

                if (!(s.Ema >= 0f && s.Ema < 1f))
                {
                    throw new ArgumentException($"--ema must be in [0, 1) (got {s.Ema.ToString(CultureInfo.InvariantCulture)}); 0 turns the average off.");
                }

                if (s.EmaStart < 1)
                {
                    throw new ArgumentException($"--ema-start must be ≥ 1 (got {s.EmaStart}).");
                }

                if (s.Pack < 1 || s.Batch % s.Pack != 0)
                {
                    throw new ArgumentException($"--pack must be ≥ 1 and divide --batch {s.Batch} (got {s.Pack}).");
                }

                if (s.DiagnosticsEvery < 0)
                {
                    throw new ArgumentException($"--diagnostics-every must be ≥ 0 (got {s.DiagnosticsEvery}); 0 turns the probe off.");
                }

                if (string.IsNullOrWhiteSpace(s.OutputDirectory))
                {
                    throw new ArgumentException("--out must name a folder.");
                }
            }
            catch (ArgumentException e)
            {
                return SampleConsole.Fail(ExitBadInput, e.Message);
            }

            return RunTraining(s, data, cancellationToken);
        });

        ParseResult result = root.Parse(args);
        if (SampleConsole.CommandLineProblem(result) is string problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        return result.Invoke();
    }

    private static GanObjective? ParseObjective(string? value) => value switch
    {
        null => null,
        "nonsaturating" or "non-saturating" => GanObjective.NonSaturating,
        "minimax" or "original" => GanObjective.Minimax,
        "leastsquares" or "least-squares" => GanObjective.LeastSquares,
        "wasserstein" => GanObjective.Wasserstein,
        "hinge" => GanObjective.Hinge,
        _ => throw new ArgumentException($"Unknown --objective '{value}'; expected nonsaturating, minimax (or original), leastsquares, wasserstein or hinge."),
    };

    private static string? ParseActivation(string? value) => value switch
    {
        null => null,
        "relu" or "leakyrelu" => value,
        "leaky-relu" => "leakyrelu",
        _ => throw new ArgumentException($"Unknown --activation '{value}'; expected relu or leakyrelu."),
    };

    private static string? ParseOptimizer(string? value) => value switch
    {
        null => null,
        "adam" or "rmsprop" => value,
        _ => throw new ArgumentException($"Unknown --optimizer '{value}'; expected adam or rmsprop."),
    };

    private static string? ParseDecay(string? value) => value switch
    {
        null => null,
        "constant" or "linear" or "cosine" => value,
        _ => throw new ArgumentException($"Unknown --lr-decay '{value}'; expected constant, linear or cosine."),
    };

    /// <summary>The layers <c>--spectral-norm</c> names; true and false are its spellings from when it was a flag.</summary>
    private static SpectralNormLayers? ParseSpectralNorm(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "all" or "true" => SpectralNormLayers.All,
        "hidden" => SpectralNormLayers.Hidden,
        "false" or "none" => SpectralNormLayers.None,
        _ => throw new ArgumentException($"Unknown --spectral-norm '{value}'; expected all (or nothing, or true), hidden, or false (or none)."),
    };

    private static GanSchedule? ParseSchedule(string? value) => value switch
    {
        null => null,
        "simultaneous" => GanSchedule.Simultaneous,
        "alternating" => GanSchedule.Alternating,
        _ => throw new ArgumentException($"Unknown --schedule '{value}'; expected alternating or simultaneous."),
    };

    private static int RunTraining(MixtureSettings s, MixtureDataset data, CancellationToken externalToken)
    {
        if (SampleConsole.PrepareOutput(s.OutputDirectory) is { } problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        SampleConsole.EarlierOutputs earlier = FindEarlierOutputs(s.OutputDirectory);

        Gan gan = Experiment.Build(s, data);
        DiscriminatorProbe? probe = s.DiagnosticsEvery > 0 ? new DiscriminatorProbe(gan, data, s) : null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(externalToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        string clipText = (s.Clip is { } c ? string.Create(CultureInfo.InvariantCulture, $", clip {c}") : string.Empty)
            + (s.ClipNorm is { } cn ? string.Create(CultureInfo.InvariantCulture, $", clip-norm {cn}") : string.Empty)
            + (s.GradientPenaltyWeight > 0f ? string.Create(CultureInfo.InvariantCulture, $", gp {s.GradientPenaltyWeight}{(s.GradientPenaltyTarget == 1f ? string.Empty : $" to {s.GradientPenaltyTarget}")}") : string.Empty);
        string describe = $"{s.Dataset}, preset {s.Preset}, seed {s.Seed}, {s.Objective.ToString().ToLowerInvariant()}{clipText}{(s.UsesAdam ? string.Empty : ", " + s.Optimizer)}, {s.Schedule.ToString().ToLowerInvariant()} {s.DiscriminatorSteps}:1, {s.NoiseDimension}-dim z";
        TrainingRun run;
        try
        {
            run = TrainWithProgress(gan, s, describe, probe, cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (run.Divergence is { } divergence)
        {
            return EndDiverged(divergence, run, s, describe, probe?.LayerNames, earlier);
        }

        Matrix samples = gan.Generate(MixtureSettings.SampleCount);
        Evaluation eval = Experiment.Evaluate(samples, data, s.Seed);
        Experiment.WriteSamples(Path.Combine(s.OutputDirectory, "samples.csv"), samples);
        Experiment.WriteMetrics(Path.Combine(s.OutputDirectory, "metrics.csv"), run.Metrics, s.ClipNorm is not null, s.GradientPenaltyWeight > 0f);
        if (probe is not null)
        {
            DiscriminatorProbe.Write(Path.Combine(s.OutputDirectory, "discriminator.csv"), run.Probes, probe.LayerNames.Count);
        }
        // The checkpoint holds the generator that drew the samples: the moving average when --ema is on.
        if (gan.AveragedGenerator is { } averaged)
        {
            ModelCheckpoint.Save(Path.Combine(s.OutputDirectory, "generator.ckpt"), averaged);
        }
        else
        {
            gan.SaveGenerator(Path.Combine(s.OutputDirectory, "generator.ckpt"));
        }
        if (!s.NoPlots)
        {
            string subtitle = $"{describe}, step {run.LastStep}";
            Plots.Scatter(Path.Combine(s.OutputDirectory, "samples.png"), samples, data, eval.Coverage, subtitle);
            Plots.Training(Path.Combine(s.OutputDirectory, "training.png"), run.Metrics, subtitle);
            if (s.ClipNorm is { } limit)
            {
                Plots.GradientNorms(Path.Combine(s.OutputDirectory, "gradient-norms.png"), run.Metrics, limit, subtitle);
            }

            if (probe is not null)
            {
                Plots.Discriminator(Path.Combine(s.OutputDirectory, "discriminator.png"), run.Probes, probe.LayerNames, subtitle);
            }
        }

        double totalSeconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        var report = new
        {
            settings = new
            {
                s.Dataset,
                s.Preset,
                s.Steps,
                s.Seed,
                s.Batch,
                s.LearningRate,
                beta1 = s.UsesAdam ? s.Beta1 : (float?)null, // Adam's; null under another optimizer
                objective = s.Objective.ToString(),
                schedule = s.Schedule.ToString(),
                discriminatorSteps = s.DiscriminatorSteps,
                clip = s.Clip,
                noise = "Gaussian",
                s.NoiseDimension,
                s.Hidden,
                s.Activation,
                learningRateDecay = s.LearningRateDecay,
                learningRateFinal = s.LearningRateDecay == "constant" ? (float?)null : s.LearningRateFinal,
                s.RealLabel,
                r1Gamma = s.R1Gamma,
                r1Every = s.R1Every,
                s.SpectralNorm,
                ema = s.Ema,
                emaStart = s.EmaStart,
                pack = s.Pack,
                beta2 = s.UsesAdam ? s.Beta2 : (float?)null,
                spectralNormLayers = s.SpectralNormLayers.ToString().ToLowerInvariant(),
                diagnosticsEvery = s.DiagnosticsEvery,
                clipNorm = s.ClipNorm,
                optimizer = s.Optimizer,
                gradientPenaltyWeight = s.GradientPenaltyWeight,
                gradientPenaltyTarget = s.GradientPenaltyTarget,
            },
            stepsCompleted = run.LastStep,
            cancelled = run.Cancelled,
            dataset = new { modes = data.ModeCount, sigma = data.Sigma, centres = Enumerable.Range(0, data.ModeCount).Select(k => new[] { data.CentreX[k], data.CentreY[k] }).ToArray() },
            samples = eval.Coverage.Samples,
            modesCovered = eval.Coverage.ModesCovered,
            highQualityShare = eval.Coverage.HighQualityShare,
            reverseKl = eval.Coverage.ReverseKl,
            modeCounts = eval.Coverage.Counts,
            coveredAtLeast = ModeCoverage.MinimumPerMode,
            highQualityRadiusInSigmas = ModeCoverage.RadiusInSigmas,
            frechetDistance = eval.FrechetDistance,
            precision = eval.PrecisionRecall.Precision,
            recall = eval.PrecisionRecall.Recall,
            precisionRecallK = PrecisionRecall.DefaultNeighbors,
            realBaseline = new
            {
                frechetDistance = eval.BaselineFrechetDistance,
                precision = eval.BaselinePrecisionRecall.Precision,
                recall = eval.BaselinePrecisionRecall.Recall,
            },
            final = new
            {
                averagedOverLastSteps = Math.Min(500, run.LastStep),
                dLoss = run.DiscriminatorLossLast500,
                gLoss = run.GeneratorLossLast500,
                dReal = run.RealScoreLast500,
                dFake = run.FakeScoreLast500,
                gradientPenalty = s.GradientPenaltyWeight > 0f ? run.GradientPenaltyLast500 : (double?)null, // the WGAN-GP penalty's mean; null without --gp
            },
            trainingSeconds = run.TrainingSeconds,
            microsecondsPerStep = run.MicrosecondsPerStep,
            totalSeconds,
            gradientNorms = s.ClipNorm is null ? null : new
            {
                discriminator = Summary(run.DiscriminatorGradientNorm!),
                generator = Summary(run.GeneratorGradientNorm!),
            },
        };
        File.WriteAllText(Path.Combine(s.OutputDirectory, "report.json"), JsonSerializer.Serialize(report, Json));
        static object Summary(GradientNormSummary g) => new { median = g.Median, max = g.Max, clippedShare = g.ClippedShare };

        var ci = CultureInfo.InvariantCulture;
        string kl = eval.Coverage.ReverseKl is double v ? v.ToString("F3", ci) : "n/a";
        string line = string.Create(
            ci,
            $"{(run.Cancelled ? "cancelled" : "done")}: {run.LastStep} steps on {s.Dataset}; {eval.Coverage.ModesCovered}/{data.ModeCount} modes, high quality {eval.Coverage.HighQualityShare:F3}, reverse KL {kl}, FD {eval.FrechetDistance:F4}, precision {eval.PrecisionRecall.Precision:F3}, recall {eval.PrecisionRecall.Recall:F3}; {SampleConsole.OverSteps(run.MicrosecondsPerStep, "F1")} µs/step, {totalSeconds:F2} s total; files in {s.OutputDirectory}/");
        if (!s.Quiet)
        {
            var table = new Table().AddColumn("measure").AddColumn("value").AddColumn("real vs real");
            void Row(string name, string value, string reference) => table.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(reference));
            Row("modes covered (≥ 20 of 2,500 within 3σ)", $"{eval.Coverage.ModesCovered} of {data.ModeCount}", data.ModeCount.ToString(ci));
            Row("high-quality share (within 3σ)", eval.Coverage.HighQualityShare.ToString("F3", ci), "0.989");
            Row("reverse KL of the mode histogram vs uniform (nats)", kl, "0");
            Row("Fréchet distance", eval.FrechetDistance.ToString("F4", ci), eval.BaselineFrechetDistance.ToString("F4", ci));
            Row("precision (k = 3)", eval.PrecisionRecall.Precision.ToString("F3", ci), eval.BaselinePrecisionRecall.Precision.ToString("F3", ci));
            Row("recall (k = 3)", eval.PrecisionRecall.Recall.ToString("F3", ci), eval.BaselinePrecisionRecall.Recall.ToString("F3", ci));
            Row("µs per step (median)", SampleConsole.OverSteps(run.MicrosecondsPerStep, "F1"), string.Empty);
            AnsiConsole.Write(table);
        }

        Console.WriteLine(line);
        List<string> written = ["report.json", "metrics.csv", "samples.csv", "generator.ckpt"];
        written.AddRange(probe is null ? [] : ["discriminator.csv"]);
        written.AddRange(s.NoPlots ? [] : ["samples.png", "training.png"]);
        written.AddRange(s.NoPlots || s.ClipNorm is null ? [] : ["gradient-norms.png"]);
        written.AddRange(s.NoPlots || probe is null ? [] : ["discriminator.png"]);
        SampleConsole.NoteEarlierRunFiles(earlier, written);
        return run.Cancelled ? ExitCancelled : ExitOk;
    }

    /// <summary>The sample's files in <paramref name="directory"/> now, as a run finds them before it writes any (see <see cref="SampleConsole.EarlierOutputs"/>).</summary>
    internal static SampleConsole.EarlierOutputs FindEarlierOutputs(string directory) => SampleConsole.EarlierOutputs.Find(directory, OutputFiles);

    /// <summary>Every file a training run may write into its output folder.</summary>
    internal static readonly string[] OutputFiles =
        ["report.json", "metrics.csv", "samples.csv", "discriminator.csv", "generator.ckpt", "training.png", "samples.png", "discriminator.png", "gradient-norms.png"];

    /// <summary>
    /// The end of a run that diverged: what led up to it is kept, the metrics, the probe's rows (when
    /// <paramref name="probeLayers"/> is given) and their figures up to the last logged step; exit code
    /// <see cref="ExitDiverged"/> with the message, the folder and the files. No samples, report or checkpoint: the
    /// networks may already hold the non-finite values.
    /// </summary>
    internal static int EndDiverged(GanDivergenceException divergence, TrainingRun run, MixtureSettings s, string describe, IReadOnlyList<string>? probeLayers, SampleConsole.EarlierOutputs earlier) =>
        SampleConsole.FailDiverged(divergence, s.OutputDirectory, earlier, kept =>
        {
            Experiment.WriteMetrics(Path.Combine(s.OutputDirectory, "metrics.csv"), run.Metrics, s.ClipNorm is not null, s.GradientPenaltyWeight > 0f);
            kept.Add(SampleConsole.WithRows("metrics.csv", run.Metrics.Count));
            if (probeLayers is not null)
            {
                DiscriminatorProbe.Write(Path.Combine(s.OutputDirectory, "discriminator.csv"), run.Probes, probeLayers.Count);
                kept.Add(SampleConsole.WithRows("discriminator.csv", run.Probes.Count));
            }

            if (!s.NoPlots && run.Metrics.Count > 0)
            {
                string diverged = $"{describe}, diverged after step {run.LastStep}";
                Plots.Training(Path.Combine(s.OutputDirectory, "training.png"), run.Metrics, diverged);
                kept.Add("training.png");
                if (s.ClipNorm is { } limit)
                {
                    Plots.GradientNorms(Path.Combine(s.OutputDirectory, "gradient-norms.png"), run.Metrics, limit, diverged);
                    kept.Add("gradient-norms.png");
                }

                if (probeLayers is not null)
                {
                    Plots.Discriminator(Path.Combine(s.OutputDirectory, "discriminator.png"), run.Probes, probeLayers, diverged);
                    kept.Add("discriminator.png");
                }
            }
        });

    private static TrainingRun TrainWithProgress(Gan gan, MixtureSettings s, string describe, DiscriminatorProbe? probe, CancellationToken token)
    {
        if (s.Quiet)
        {
            return Experiment.Train(gan, s, null, probe, token);
        }

        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            Console.WriteLine($"training {s.Steps} steps ({describe})");
            long every = Math.Max(50, s.Steps / 20);
            return Experiment.Train(
                gan,
                s,
                m =>
                {
                    if (m.Step % every == 0 || m.Step == s.Steps)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {m.Step,6}/{s.Steps}  D(x) {m.MeanRealScore:F3}  D(G(z)) {m.MeanFakeScore:F3}"));
                    }
                },
                probe,
                token);
        }

        TrainingRun? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask($"training ({describe})", maxValue: Math.Max(1, s.Steps));
                result = Experiment.Train(
                    gan,
                    s,
                    m =>
                    {
                        if (m.Step % 50 == 0 || m.Step == s.Steps)
                        {
                            task.Value = m.Step;
                            task.Description = string.Create(CultureInfo.InvariantCulture, $"step {m.Step}  D(x) {m.MeanRealScore:F3}  D(G(z)) {m.MeanFakeScore:F3}");
                        }
                    },
                    probe,
                    token);
                if (result.Divergence is not null)
                {
                    task.Description = $"[red]diverged after step {result.LastStep}[/]";
                }
            });
        return result!;
    }
}

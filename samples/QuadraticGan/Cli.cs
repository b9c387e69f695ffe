using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Diagnostics;
using GanCore.Kernels;
using GanCore.Models;
using GanCore.Onnx;
using GanCore.Randomness;
using GanCore.Samples;
using GanCore.Tensors;
using Spectre.Console;

namespace QuadraticGan;

/// <summary>The command line: train (the default command) and generate. Exit codes: 0 done, 2 bad input, 3 divergence, 130 cancelled.</summary>
internal static class Cli
{
    public const int ExitOk = SampleConsole.ExitOk;
    public const int ExitBadInput = SampleConsole.ExitBadInput;
    public const int ExitDiverged = SampleConsole.ExitDiverged;
    public const int ExitCancelled = SampleConsole.ExitCancelled;

    public static int Run(string[] args, CancellationToken cancellationToken = default)
    {
        var steps = new Option<int?>("--steps") { Description = "Training steps (generator updates) in total. Original preset: 5000." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the one random generator behind weights, noise and data. Default 1." };
        var batch = new Option<int?>("--batch") { Description = "Batch size, real and fake. Original preset: 64." };
        var lrG = new Option<float?>("--lr-g") { Description = "Generator learning rate. Original preset: 1e-4." };
        var lrD = new Option<float?>("--lr-d") { Description = "Discriminator learning rate. Original preset: 1e-4." };
        var optimizer = new Option<string?>("--optimizer") { Description = "adam (every preset) | sgd (try --lr-g 0.01 --lr-d 0.01) | rmsprop (α 0.99, ε 1e-8): the optimizer of G and D, at --lr-g and --lr-d; a resumed run keeps the checkpoint's." };
        var momentum = new Option<float?>("--momentum") { Description = "SGD's or RMSprop's momentum of both networks, in [0, 1). Default 0 (none)." };
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD with Nesterov momentum (needs --momentum > 0)." };
        var clipNorm = new Option<float?>("--clip-norm") { Description = "Gradient clipping by global norm, on G and D each: a network's gradients, all its parameters together, are scaled down to this L2 norm when they are longer. Default off; not stored in gan.ckpt, so give it again on --resume." };
        var beta1 = new Option<float?>("--beta1") { Description = "Adam β1 of both networks. Original preset: 0.9." };
        var beta2 = new Option<float?>("--beta2") { Description = "Adam β2 of both networks. Default 0.999." };
        var lrFinal = new Option<float?>("--lr-final") { Description = "Decay both learning rates linearly to this fraction of their start value by the last step (1 = constant). Original preset: 1." };
        var objective = new Option<string?>("--objective") { Description = "minimax | non-saturating | least-squares. Original preset: minimax." };
        var schedule = new Option<string?>("--schedule") { Description = "simultaneous | alternating. Original preset: simultaneous." };
        var dSteps = new Option<int?>("--d-steps") { Description = "Discriminator updates per generator update (alternating schedule). Default 1." };
        var realLabel = new Option<float?>("--real-label") { Description = "Target for real examples; < 1 is one-sided label smoothing. Default 1." };
        var noise = new Option<string?>("--noise") { Description = "Latent prior: gaussian | uniform. Original preset: gaussian." };
        var noiseDim = new Option<int?>("--noise-dim") { Description = "Latent dimension. Original preset: 5." };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden width of G and D. Original preset: 128." };
        var preset = new Option<string?>("--preset") { Description = "original (the classic experiment, default; 'seed' is accepted as an alias) | tuned (GanCore's recipe). Explicit options override it." };
        var samples = new Option<int?>("--samples") { Description = "Curves to generate into curves.csv. Default 1000." };
        var output = new Option<string?>("--out") { Description = "Output folder. Default out/." };
        var resume = new Option<string?>("--resume") { Description = "Continue from a gan.ckpt written by an earlier run (same preset/options)." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Also write gan.ckpt every N steps (0: only at the end)." };
        var threads = new Option<int?>("--threads") { Description = "Most threads one large matrix product may use. Default 1." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG figures." };
        var exportOnnx = new Option<bool>("--export-onnx") { Description = "Also write generator.onnx (ONNX opset 17) next to the checkpoints." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only errors, notes (on standard error) and the final one-line summary." };
        var lrDecay = new Option<string?>("--lr-decay") { Description = "Shape of the decay set by --lr-final: linear | cosine. Default linear." };
        var labelEncoding = new Option<string?>("--label-encoding") { Description = "Conditional only: how G and D receive the label, scalar (one 0/1 column, the original's) | one-hot (two columns). Original preset: scalar." };
        var conditional = new Option<bool>("--conditional") { Description = "The conditional experiment (406_conditional_GAN): G gets [z, label] and D gets [curve, label], label 1 when a > 1.5. Original preset: 10000 steps." };

        var train = new RootCommand("Trains a GAN on the quadratic family a·x² + (a − 1), a ~ U(1, 2), and writes curves, metrics, plots, checkpoints and a report.");
        foreach (Option o in new Option[] { steps, seed, batch, lrG, lrD, optimizer, momentum, nesterov, clipNorm, beta1, beta2, lrFinal, objective, schedule, dSteps, realLabel, noise, noiseDim, hidden, preset, samples, output, resume, checkpointEvery, threads, noPlots, exportOnnx, quiet, conditional, lrDecay, labelEncoding })
        {
            train.Options.Add(o);
        }

        var genCheckpoint = new Option<string>("--checkpoint") { Description = "A generator checkpoint (generator.ckpt).", Required = true };
        var genSamples = new Option<int?>("--samples") { Description = "How many curves. Default 1000." };
        var genOut = new Option<string?>("--out") { Description = "Output folder. Default out/." };
        var genSeed = new Option<ulong?>("--seed") { Description = "Seed of the noise. Default 1." };
        var genNoise = new Option<string?>("--noise") { Description = "The latent prior the generator was trained with: gaussian | uniform. Default gaussian." };
        var genConditional = new Option<bool>("--conditional") { Description = "The checkpoint is a conditional generator (trained with --conditional): the first half of the curves gets label 0, the rest label 1." };
        var genEncoding = new Option<string?>("--label-encoding") { Description = "Conditional generator only: the label encoding it was trained with, scalar | one-hot. Default scalar." };
        var genLabel = new Option<int?>("--label") { Description = "Conditional generator only: generate every curve with this label, 0 (a ≤ 1.5) or 1 (a > 1.5). Implies --conditional." };
        var generate = new Command("generate", "Loads a generator checkpoint and writes DIR/curves.csv (with a label column for a conditional generator).");
        foreach (Option o in new Option[] { genCheckpoint, genSamples, genOut, genSeed, genNoise, genConditional, genLabel, genEncoding })
        {
            generate.Options.Add(o);
        }

        train.Subcommands.Add(generate);

        int exit = ExitOk;
        train.SetAction(parse =>
        {
            TrainSettings s;
            try
            {
                TrainSettings p = TrainSettings.ForPreset(parse.GetValue(preset) ?? "original");
                bool isConditional = parse.GetValue(conditional);
                if (isConditional && p == TrainSettings.OriginalPreset with { Preset = p.Preset })
                {
                    p = p with { Steps = TrainSettings.ConditionalOriginalSteps };
                }
                else if (isConditional && p == TrainSettings.TunedPreset)
                {
                    p = TrainSettings.ConditionalTunedPreset;
                }

                s = p with
                {
                    Steps = parse.GetValue(steps) ?? p.Steps,
                    Seed = parse.GetValue(seed) ?? p.Seed,
                    Batch = parse.GetValue(batch) ?? p.Batch,
                    LearningRateG = parse.GetValue(lrG) ?? p.LearningRateG,
                    LearningRateD = parse.GetValue(lrD) ?? p.LearningRateD,
                    Optimizer = ParseOptimizer(parse.GetValue(optimizer)) ?? p.Optimizer,
                    Momentum = parse.GetValue(momentum),
                    Nesterov = parse.GetValue(nesterov),
                    ClipNorm = parse.GetValue(clipNorm),
                    Beta1 = parse.GetValue(beta1) ?? p.Beta1,
                    Beta2 = parse.GetValue(beta2) ?? p.Beta2,
                    LearningRateFinalFraction = parse.GetValue(lrFinal) ?? p.LearningRateFinalFraction,
                    Decay = ParseDecay(parse.GetValue(lrDecay)) ?? p.Decay,
                    Objective = ParseObjective(parse.GetValue(objective)) ?? p.Objective,
                    Schedule = ParseSchedule(parse.GetValue(schedule)) ?? p.Schedule,
                    DiscriminatorSteps = parse.GetValue(dSteps) ?? p.DiscriminatorSteps,
                    RealLabel = parse.GetValue(realLabel) ?? p.RealLabel,
                    Noise = ParseNoise(parse.GetValue(noise)) ?? p.Noise,
                    NoiseDimension = parse.GetValue(noiseDim) ?? p.NoiseDimension,
                    Hidden = parse.GetValue(hidden) ?? p.Hidden,
                    Samples = parse.GetValue(samples) ?? p.Samples,
                    OutputDirectory = parse.GetValue(output) ?? p.OutputDirectory,
                    Resume = parse.GetValue(resume),
                    CheckpointEvery = parse.GetValue(checkpointEvery) ?? p.CheckpointEvery,
                    Threads = parse.GetValue(threads) ?? p.Threads,
                    NoPlots = parse.GetValue(noPlots),
                    ExportOnnx = parse.GetValue(exportOnnx),
                    Quiet = parse.GetValue(quiet),
                    Conditional = isConditional,
                    LabelEncoding = ParseLabelEncoding(parse.GetValue(labelEncoding)) ?? p.LabelEncoding,
                };
                // Under --resume the checkpoint's optimizer runs whatever these say (as for every optimizer setting), so
                // their fit with --optimizer is only checked for a new run.
                SampleConsole.Require(s.Resume is not null || s.UsesAdam || (parse.GetResult(beta1) is null && parse.GetResult(beta2) is null), $"--beta1 and --beta2 set Adam's moments; --optimizer {s.Optimizer} has none.");
                Validate(s);
            }
            catch (ArgumentException e)
            {
                return SampleConsole.Fail(ExitBadInput, e.Message);
            }

            exit = RunTraining(s, cancellationToken);
            return exit;
        });

        generate.SetAction(parse =>
        {
            int count = parse.GetValue(genSamples) ?? 1000;
            if (count < 1)
            {
                return SampleConsole.Fail(ExitBadInput, $"--samples must be at least 1 (got {count}).");
            }

            NoiseKind? kind;
            LabelEncoding? encoding;
            try
            {
                kind = ParseNoise(parse.GetValue(genNoise));
                encoding = ParseLabelEncoding(parse.GetValue(genEncoding));
            }
            catch (ArgumentException e)
            {
                return SampleConsole.Fail(ExitBadInput, e.Message);
            }

            int? label = parse.GetValue(genLabel);
            if (label is not null and not (0 or 1))
            {
                return SampleConsole.Fail(ExitBadInput, $"--label must be 0 (a ≤ 1.5) or 1 (a > 1.5) (got {label}).");
            }

            bool isConditional = parse.GetValue(genConditional) || label is not null || encoding is not null;
            return RunGenerate(parse.GetValue(genCheckpoint)!, count, parse.GetValue(genOut) ?? "out", parse.GetValue(genSeed) ?? 1, kind ?? NoiseKind.Gaussian, isConditional, label, encoding ?? LabelEncoding.Scalar);
        });

        ParseResult result = train.Parse(args);
        if (SampleConsole.CommandLineProblem(result) is string problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        return result.Invoke();
    }

    private static void Validate(TrainSettings s)
    {
        SampleConsole.Require(s.Steps >= 0, $"--steps must be ≥ 0 (got {s.Steps}).");
        SampleConsole.Require(s.Batch >= 1, $"--batch must be ≥ 1 (got {s.Batch}).");
        SampleConsole.Require(s.LearningRateG > 0 && float.IsFinite(s.LearningRateG), $"--lr-g must be a finite number > 0 (got {s.LearningRateG}).");
        SampleConsole.Require(s.LearningRateD > 0 && float.IsFinite(s.LearningRateD), $"--lr-d must be a finite number > 0 (got {s.LearningRateD}).");
        bool fresh = s.Resume is null; // a resumed run takes its optimizer from the checkpoint
        SampleConsole.Require(!fresh || s.Momentum is null || !s.UsesAdam, "--momentum applies to --optimizer sgd or rmsprop; adam has β1 (--beta1) instead.");
        SampleConsole.Require(s.Momentum is not { } m || (m >= 0 && m < 1), string.Create(CultureInfo.InvariantCulture, $"--momentum must be in [0, 1) (got {s.Momentum})."));
        SampleConsole.Require(!fresh || !s.Nesterov || s.Optimizer == "sgd", $"--nesterov applies to --optimizer sgd (got {s.Optimizer}).");
        SampleConsole.Require(!fresh || !s.Nesterov || s.Momentum > 0, "--nesterov needs --momentum > 0.");
        SampleConsole.Require(s.ClipNorm is not { } c || (c > 0 && float.IsFinite(c)), string.Create(CultureInfo.InvariantCulture, $"--clip-norm must be a finite number > 0 (got {s.ClipNorm})."));
        SampleConsole.Require(s.Beta1 >= 0 && s.Beta1 < 1, $"--beta1 must be in [0, 1) (got {s.Beta1}).");
        SampleConsole.Require(s.Beta2 >= 0 && s.Beta2 < 1, $"--beta2 must be in [0, 1) (got {s.Beta2}).");
        SampleConsole.Require(s.LearningRateFinalFraction > 0 && s.LearningRateFinalFraction <= 1, $"--lr-final must be in (0, 1] (got {s.LearningRateFinalFraction}).");
        SampleConsole.Require(s.DiscriminatorSteps >= 1, $"--d-steps must be ≥ 1 (got {s.DiscriminatorSteps}).");
        SampleConsole.Require(s.RealLabel > 0.5f && s.RealLabel <= 1f, $"--real-label must be in (0.5, 1] (got {s.RealLabel}).");
        SampleConsole.Require(s.NoiseDimension >= 1, $"--noise-dim must be ≥ 1 (got {s.NoiseDimension}).");
        SampleConsole.Require(s.Hidden >= 1, $"--hidden must be ≥ 1 (got {s.Hidden}).");
        SampleConsole.Require(s.Samples >= 1, $"--samples must be ≥ 1 (got {s.Samples}).");
        SampleConsole.Require(s.CheckpointEvery >= 0, $"--checkpoint-every must be ≥ 0 (got {s.CheckpointEvery}).");
        SampleConsole.Require(s.Threads >= 1, $"--threads must be ≥ 1 (got {s.Threads}).");
        SampleConsole.Require(!string.IsNullOrWhiteSpace(s.OutputDirectory), "--out must name a folder.");
    }

    private static string? ParseOptimizer(string? value) => value switch
    {
        null => null,
        "adam" or "sgd" or "rmsprop" => value,
        _ => throw new ArgumentException($"Unknown --optimizer '{value}'; expected adam, sgd or rmsprop."),
    };

    private static GanObjective? ParseObjective(string? value) => value switch
    {
        null => null,
        "minimax" => GanObjective.Minimax,
        "non-saturating" => GanObjective.NonSaturating,
        "least-squares" => GanObjective.LeastSquares,
        _ => throw new ArgumentException($"Unknown --objective '{value}'; expected minimax, non-saturating or least-squares."),
    };

    private static GanSchedule? ParseSchedule(string? value) => value switch
    {
        null => null,
        "simultaneous" => GanSchedule.Simultaneous,
        "alternating" => GanSchedule.Alternating,
        _ => throw new ArgumentException($"Unknown --schedule '{value}'; expected simultaneous or alternating."),
    };

    private static LearningRateDecay? ParseDecay(string? value) => value switch
    {
        null => null,
        "linear" => LearningRateDecay.Linear,
        "cosine" => LearningRateDecay.Cosine,
        _ => throw new ArgumentException($"Unknown --lr-decay '{value}'; expected linear or cosine."),
    };

    private static LabelEncoding? ParseLabelEncoding(string? value) => value switch
    {
        null => null,
        "scalar" => LabelEncoding.Scalar,
        "one-hot" => LabelEncoding.OneHot,
        _ => throw new ArgumentException($"Unknown --label-encoding '{value}'; expected scalar or one-hot."),
    };

    private static NoiseKind? ParseNoise(string? value) => value switch
    {
        null => null,
        "gaussian" => NoiseKind.Gaussian,
        "uniform" => NoiseKind.Uniform,
        _ => throw new ArgumentException($"Unknown --noise '{value}'; expected gaussian or uniform."),
    };



    private static int RunTraining(TrainSettings s, CancellationToken externalToken)
    {
        if (SampleConsole.PrepareOutput(s.OutputDirectory) is { } problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        SampleConsole.EarlierOutputs earlier = FindEarlierOutputs(s.OutputDirectory);

        Gemm.MaxDegreeOfParallelism = s.Threads;
        Gan gan;
        try
        {
            gan = s.Resume is null ? Experiment.Build(s)
                : s.Conditional ? Gan.LoadCheckpoint(s.Resume, Experiment.CreateNoise(s), ConditionalQuadratic.CreateSampler(s.LabelEncoding), null)
                : Gan.LoadCheckpoint(s.Resume, Experiment.CreateNoise(s), Experiment.CreateSampler());
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return SampleConsole.Fail(ExitBadInput, $"cannot resume from '{s.Resume}': {e.Message}");
        }

        if (s.Resume is not null)
        {
            // The checkpoint's game settings and optimizer state win over the command line: report what really runs.
            var adamG = gan.GeneratorOptimizer as GanCore.Optimizers.Adam;
            s = s with
            {
                Optimizer = Experiment.OptimizerName(gan.GeneratorOptimizer) ?? s.Optimizer,
                Momentum = gan.GeneratorOptimizer switch
                {
                    GanCore.Optimizers.Sgd sgd => sgd.Momentum,
                    GanCore.Optimizers.RmsProp rms => rms.Momentum,
                    _ => null,
                },
                Nesterov = gan.GeneratorOptimizer is GanCore.Optimizers.Sgd { Nesterov: true },
                Objective = gan.Options.Objective,
                Schedule = gan.Options.Schedule,
                DiscriminatorSteps = gan.Options.DiscriminatorSteps,
                Batch = gan.Options.BatchSize,
                RealLabel = gan.Options.RealLabel,
                NoiseDimension = gan.Generator.InputSize - gan.ConditionDimension,
                Hidden = ((GanCore.Layers.Dense)gan.Generator.Layers[0]).OutputSize,
                // Under a decay schedule the rates are recomputed each step from the preset's start values.
                LearningRateG = s.LearningRateFinalFraction == 1f ? gan.GeneratorOptimizer.LearningRate : s.LearningRateG,
                LearningRateD = s.LearningRateFinalFraction == 1f ? gan.DiscriminatorOptimizer.LearningRate : s.LearningRateD,
                Beta1 = adamG?.Beta1 ?? s.Beta1,
                Beta2 = adamG?.Beta2 ?? s.Beta2,
            };
            if (!s.Quiet)
            {
                Console.WriteLine($"resumed from {s.Resume} at step {gan.StepCount}; objective, schedule, batch and optimizer settings come from the checkpoint");
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(externalToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        string ganCheckpoint = Path.Combine(s.OutputDirectory, "gan.ckpt");
        string describe = $"preset {s.Preset}{(s.Conditional ? ", conditional" : string.Empty)}, seed {s.Seed}, {s.Objective}, {s.Schedule}, batch {s.Batch}{Experiment.DescribeOptimizerUnlessAdam(s)}{(s.ClipNorm is { } cn ? string.Create(CultureInfo.InvariantCulture, $", clip-norm {cn}") : string.Empty)}";
        // ScottPlot's first figure costs a few hundred milliseconds of start-up: it is paid on the idle core during training.
        Task plotWarmUp = s.NoPlots ? Task.CompletedTask : StartupWarmUp.PlotsReady;
        RunResult run;
        try
        {
            run = TrainWithProgress(gan, s, describe, g => g.SaveCheckpoint(ganCheckpoint), cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (run.Divergence is { } divergence)
        {
            return EndDiverged(divergence, run, s, describe, plotWarmUp, earlier);
        }

        // The curves draw their noise from a copy of the training generator: the same curves as drawing from it
        // directly, while the training stream, and so gan.ckpt, stays as training left it.
        // Conditional: the first half of the curves is generated with label 0, the rest with label 1.
        Matrix? labels = s.Conditional ? ConditionalQuadratic.Labels(s.Samples) : null;
        Matrix curves = labels is null
            ? gan.Generate(s.Samples, new RandomSource(gan.Random.GetState()))
            : gan.Generate(s.Samples, ConditionalQuadratic.Encode(labels, s.LabelEncoding), new RandomSource(gan.Random.GetState()));
        QuadraticFitReport fit = QuadraticFitReport.Compute(curves);
        IReadOnlyList<ClassFitReport>? classes = labels is null ? null : ConditionalQuadratic.Compute(curves, labels, s.Seed);
        // Work after training is spread over both cores: a worker computes the distances (k-NN precision/recall over
        // 2 × 1,000 curves, the Fréchet distance) and then builds report.json's tree (with serializers generated at build
        // time, ReportJson.cs) and draws the histogram; another draws the training figure; this thread writes the files
        // and draws the curves. Everything they read is read-only here.
        Task<SampleDistances> distancesTask = Task.Run(() => SampleDistances.Compute(curves, s), CancellationToken.None);
        Task<(System.Text.Json.Nodes.JsonObject Report, System.Text.Json.Nodes.JsonNode? Classes)> reportTask = distancesTask.ContinueWith(
            d => Report(s, run, fit, classes, d.GetAwaiter().GetResult()),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        string subtitle = $"{describe}, step {run.LastStep}";
        Task histogram = Task.CompletedTask;
        Task trainingFigure = Task.CompletedTask;
        if (!s.NoPlots)
        {
            histogram = reportTask.ContinueWith(
                _ =>
                {
                    plotWarmUp.Wait(CancellationToken.None);
                    Plots.AHistogram(Path.Combine(s.OutputDirectory, "a-histogram.png"), Experiment.FittedA(curves), fit, subtitle);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            trainingFigure = Task.Run(
                () =>
                {
                    plotWarmUp.Wait(CancellationToken.None);
                    Plots.Training(Path.Combine(s.OutputDirectory, "training.png"), run.Metrics, subtitle);
                },
                CancellationToken.None);
        }

        Experiment.WriteCurves(Path.Combine(s.OutputDirectory, "curves.csv"), curves, labels);
        Experiment.WriteMetrics(Path.Combine(s.OutputDirectory, "metrics.csv"), run.Metrics);
        gan.SaveGenerator(Path.Combine(s.OutputDirectory, "generator.ckpt"));
        gan.SaveDiscriminator(Path.Combine(s.OutputDirectory, "discriminator.ckpt"));
        gan.SaveCheckpoint(ganCheckpoint);
        if (s.ExportOnnx)
        {
            // A conditional generator gets two graph inputs, "input" (z) and "condition" (the label), concatenated inside the graph.
            if (gan.IsConditional)
            {
                ConditionalOnnxExporter.Export(gan.Generator, gan.ConditionDimension, Path.Combine(s.OutputDirectory, "generator.onnx"));
            }
            else
            {
                OnnxExporter.Export(gan.Generator, Path.Combine(s.OutputDirectory, "generator.onnx"));
            }
        }

        if (!s.NoPlots)
        {
            plotWarmUp.Wait(CancellationToken.None);
            Plots.Curves(Path.Combine(s.OutputDirectory, "gan.png"), curves, run.MeanRealScoreLast500, run.DiscriminatorScoreLast500, subtitle, labels: labels);
        }

        histogram.GetAwaiter().GetResult();
        trainingFigure.GetAwaiter().GetResult();
        SampleDistances distances = distancesTask.GetAwaiter().GetResult();
        double totalSeconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        (System.Text.Json.Nodes.JsonObject json, System.Text.Json.Nodes.JsonNode? classesNode) = reportTask.GetAwaiter().GetResult();
        json["totalSeconds"] = totalSeconds;
        if (classesNode is not null)
        {
            json["classes"] = classesNode;
        }

        File.WriteAllText(Path.Combine(s.OutputDirectory, "report.json"), json.ToJsonString(ReportJsonContext.Default.Options));
        PrintSummary(s, run, fit, classes, distances, totalSeconds);
        List<string> written = ["curves.csv", "metrics.csv", "generator.ckpt", "discriminator.ckpt", "gan.ckpt", "report.json"];
        written.AddRange(s.ExportOnnx ? ["generator.onnx"] : []);
        written.AddRange(s.NoPlots ? [] : ["a-histogram.png", "training.png", "gan.png"]);
        SampleConsole.NoteEarlierRunFiles(earlier, written);
        return run.Cancelled ? ExitCancelled : ExitOk;
    }

    /// <summary>report.json's tree without its last fields, <c>totalSeconds</c> and then (conditional runs) <c>classes</c>, which
    /// the caller appends once the run's other work is done; the second item is the <c>classes</c> node, or null.</summary>
    private static (System.Text.Json.Nodes.JsonObject Report, System.Text.Json.Nodes.JsonNode? Classes) Report(TrainSettings s, RunResult run, QuadraticFitReport fit, IReadOnlyList<ClassFitReport>? classes, SampleDistances distances)
    {
        var json = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(QuadraticReport.From(s, run, fit, distances), ReportJsonContext.Default.QuadraticReport)!;

        // Per label: the share with fitted a on the label's side of 1.5, in-band share, KS of a against the label's half of U(1, 2), std(a),
        // and the Fréchet distance and precision/recall against fresh real curves of the label.
        return (json, classes is null ? null : JsonSerializer.SerializeToNode(classes, ReportJsonContext.Default.IReadOnlyListClassFitReport));
    }

    /// <summary>The sample's files in <paramref name="directory"/> now, as a run finds them before it writes any (see <see cref="SampleConsole.EarlierOutputs"/>).</summary>
    internal static SampleConsole.EarlierOutputs FindEarlierOutputs(string directory) => SampleConsole.EarlierOutputs.Find(directory, OutputFiles);

    /// <summary>Every file a training run may write into its output folder.</summary>
    internal static readonly string[] OutputFiles =
        ["report.json", "metrics.csv", "curves.csv", "gan.ckpt", "generator.ckpt", "discriminator.ckpt", "generator.onnx", "training.png", "gan.png", "a-histogram.png"];

    /// <summary>
    /// The end of a run that diverged: what led up to it is kept, the metrics and their figure up to the last logged step
    /// before the failure; exit code <see cref="ExitDiverged"/> with the message, the folder and the files. The GAN
    /// itself is not saved (its weights may already hold the non-finite values); gan.ckpt is this run's last
    /// --checkpoint-every checkpoint when it wrote one, and the message says of which step.
    /// </summary>
    internal static int EndDiverged(GanDivergenceException divergence, RunResult run, TrainSettings s, string describe, Task plotWarmUp, SampleConsole.EarlierOutputs earlier) =>
        SampleConsole.FailDiverged(divergence, s.OutputDirectory, earlier, kept =>
        {
            long lastCheckpoint = s.CheckpointEvery > 0 ? run.LastStep / s.CheckpointEvery * s.CheckpointEvery : 0;
            if (lastCheckpoint > run.FirstStep)
            {
                kept.Add($"gan.ckpt (written at step {lastCheckpoint} by --checkpoint-every)");
            }

            Experiment.WriteMetrics(Path.Combine(s.OutputDirectory, "metrics.csv"), run.Metrics);
            kept.Add(SampleConsole.WithRows("metrics.csv", run.Metrics.Count));
            if (!s.NoPlots && run.Metrics.Count > 0)
            {
                plotWarmUp.Wait(CancellationToken.None);
                Plots.Training(Path.Combine(s.OutputDirectory, "training.png"), run.Metrics, $"{describe}, diverged after step {run.LastStep}");
                kept.Add("training.png");
            }
        });

    private static RunResult TrainWithProgress(Gan gan, TrainSettings s, string describe, Action<Gan> checkpoint, CancellationToken token)
    {
        if (s.Quiet)
        {
            return Experiment.Train(gan, s, null, checkpoint, token);
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
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {m.Step,6}/{s.Steps}  D accuracy (mean D(x)) {m.MeanRealScore:F3}  D score {m.DiscriminatorScore:F3}"));
                    }
                },
                checkpoint,
                token);
        }

        RunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask($"training ({describe})", maxValue: Math.Max(1, s.Steps));
                task.Value = gan.StepCount;
                result = Experiment.Train(
                    gan,
                    s,
                    m =>
                    {
                        if (m.Step % 50 == 0 || m.Step == s.Steps)
                        {
                            task.Value = m.Step;
                            task.Description = string.Create(CultureInfo.InvariantCulture, $"step {m.Step}  D accuracy (mean D(x)) {m.MeanRealScore:F3}  D score {m.DiscriminatorScore:F3}");
                        }
                    },
                    checkpoint,
                    token);
                if (result.Divergence is not null)
                {
                    task.Description = $"[red]diverged after step {result.LastStep}[/]";
                }
            });
        return result!;
    }

    private static void PrintSummary(TrainSettings s, RunResult run, QuadraticFitReport fit, IReadOnlyList<ClassFitReport>? classes, SampleDistances distances, double totalSeconds)
    {
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{(run.Cancelled ? "cancelled" : "done")}: {run.LastStep} steps; D accuracy (mean D(x)) {SampleConsole.OverSteps(run.MeanRealScoreLast500, "F3")}, D score {SampleConsole.OverSteps(run.DiscriminatorScoreLast500, "F3")} (−log 4 = −1.386); in-band {fit.InBandShare:F3}, KS(a) {fit.KsA:F3}, std(a) {fit.StdA:F3}; FD {distances.FrechetDistance:G3}, precision {distances.Precision:F3}, recall {distances.Recall:F3}; {SampleConsole.OverSteps(run.MicrosecondsPerStep, "F1")} µs/step, {totalSeconds:F2} s total; files in {s.OutputDirectory}/");
        if (classes is not null)
        {
            foreach (ClassFitReport c in classes)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"\n  label {c.Label} (a in [{c.ALow}, {c.AHigh}]): right side {c.RightSideShare:F3}, in-band {c.InBandShare:F3}, KS(a) {c.KsA:F3}, std(a) {c.StdA:F3} (ref {c.ReferenceStdA:F4})");
                if (c.Distances is { } d)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $"; FD {d.FrechetDistance:G3}, precision {d.Precision:F3}, recall {d.Recall:F3}");
                }
            }
        }

        if (s.Quiet)
        {
            Console.WriteLine(line);
            return;
        }

        var rows = new List<(string Name, string Value, string Reference)>();
        void Row(string name, string value, string reference) => rows.Add((name, value, reference));
        var ci = CultureInfo.InvariantCulture;
        Row("steps", run.LastStep.ToString(ci), s.Steps.ToString(ci));
        Row("D accuracy (mean D(x)), last 500", SampleConsole.OverSteps(run.MeanRealScoreLast500, "F4"), "0.5");
        Row("D score, −D loss (last 500)", SampleConsole.OverSteps(run.DiscriminatorScoreLast500, "F4"), "−log 4 = −1.3863");
        Row("in-band share", fit.InBandShare.ToString("F3", ci), "1.0");
        Row("median residual RMS", fit.MedianResidualRms.ToString("F4", ci), "0");
        Row("mean |b − (a − 1)|", fit.MeanOffsetError.ToString("F4", ci), "0");
        Row("mean a", fit.MeanA.ToString("F4", ci), "1.5");
        Row("std a", fit.StdA.ToString("F4", ci), "0.2887");
        Row("KS(a) vs U(1,2)", fit.KsA.ToString("F4", ci), "0");
        Row($"Fréchet distance to {distances.RealCurves} real curves", distances.FrechetDistance.ToString("G4", ci), "0");
        Row($"precision / recall (k = {distances.Neighbors})", $"{distances.Precision.ToString("F3", ci)} / {distances.Recall.ToString("F3", ci)}", "1 / 1");
        Row("µs per step (median)", SampleConsole.OverSteps(run.MicrosecondsPerStep, "F1"), string.Empty);
        Row("training seconds", run.TrainingSeconds.ToString("F2", ci), string.Empty);
        Row("total seconds", totalSeconds.ToString("F2", ci), string.Empty);
        AnsiConsole.Write(SummaryTable(rows));
        Console.WriteLine(line);
    }

    /// <summary>The final summary as a Spectre.Console table of (measure, value, reference) rows, taken as plain text.</summary>
    internal static Table SummaryTable(IEnumerable<(string Name, string Value, string Reference)> rows)
    {
        var table = new Table().AddColumn("measure").AddColumn("value").AddColumn("reference");
        foreach ((string name, string value, string reference) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(reference));
        }

        return table;
    }

    private static int RunGenerate(string checkpoint, int count, string directory, ulong seed, NoiseKind noiseKind, bool conditional, int? label, LabelEncoding encoding)
    {
        Sequential generator;
        try
        {
            generator = ModelCheckpoint.LoadModel(checkpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return SampleConsole.Fail(ExitBadInput, $"cannot load generator checkpoint '{checkpoint}': {e.Message}");
        }

        if (generator.OutputSize != QuadraticFamily.PointCount)
        {
            return SampleConsole.Fail(ExitBadInput, $"'{checkpoint}' holds a model with output width {generator.OutputSize}; a curve generator outputs {QuadraticFamily.PointCount}.");
        }

        if (SampleConsole.PrepareOutput(directory) is { } problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        int conditionWidth = conditional ? ConditionalQuadratic.WidthOf(encoding) : 0;
        int noiseDimension = generator.InputSize - conditionWidth;
        if (noiseDimension < 1)
        {
            return SampleConsole.Fail(ExitBadInput, $"'{checkpoint}' holds a generator with input width {generator.InputSize}; a conditional generator takes the noise plus {conditionWidth} label column{(conditionWidth == 1 ? string.Empty : "s")}.");
        }

        var random = new RandomSource(seed);
        INoiseSource noise = noiseKind == NoiseKind.Uniform ? new UniformNoise(noiseDimension) : new GaussianNoise(noiseDimension);
        var z = new Matrix(count, noiseDimension);
        noise.Fill(z, random);
        Matrix? labels = conditional ? ConditionalQuadratic.Labels(count, label) : null;
        Matrix input = z;
        if (labels is not null)
        {
            input = new Matrix(count, generator.InputSize);
            for (int i = 0; i < count; i++)
            {
                z.Row(i).CopyTo(input.Row(i));
                ConditionalQuadratic.Encode((int)labels[i, 0], encoding, input.Row(i)[noiseDimension..]);
            }
        }

        Matrix curves = generator.Forward(input);
        string path = Path.Combine(directory, "curves.csv");
        Experiment.WriteCurves(path, curves, labels);
        Console.WriteLine($"wrote {count} curves to {path}");
        return ExitOk;
    }
}

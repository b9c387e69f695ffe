using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GanCore.Checkpoints;
using GanCore.Data;
using GanCore.Models;
using GanCore.Onnx;
using GanCore.Randomness;
using GanCore.Samples;
using Spectre.Console;

namespace Classifier;

/// <summary>The command line. Exit codes: 0 done, 2 bad input, 3 divergence, 130 cancelled.</summary>
internal static class Cli
{
    public const int ExitOk = SampleConsole.ExitOk;
    public const int ExitBadInput = SampleConsole.ExitBadInput;
    public const int ExitDiverged = SampleConsole.ExitDiverged;
    public const int ExitCancelled = SampleConsole.ExitCancelled;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "Dense(2→64)", not "\u2192"
    };

    public static int Run(string[] args, CancellationToken cancellationToken = default)
    {
        var csv = new Option<string?>("--csv") { Description = "Train on this numeric CSV table instead of the spiral (invariant culture: 1.5, not 1,5)." };
        var labelColumn = new Option<string?>("--label-column") { Description = "The CSV column holding integer class ids 0, 1, 2, ...: a 0-based index, -1 for the last column (default), or a header name." };
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV cell separator: one character, or 'tab'. Default ','." };
        var header = new Option<string?>("--header") { Description = "Does the CSV's first line name the columns? auto (default: yes when a cell is not a number) | present | absent." };
        var points = new Option<int?>("--points") { Description = "Spiral: points per class. Default 300." };
        var classes = new Option<int?>("--classes") { Description = "Spiral: classes (arms). Default 3." };
        var noise = new Option<float?>("--noise") { Description = "Spiral: standard deviation of the angle noise, in radians. Default 0.2." };
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training data. Default 300." };
        var batch = new Option<int?>("--batch") { Description = "Batch size. Default 32." };
        var lr = new Option<float?>("--lr") { Description = "The optimizer's learning rate. Default 0.01." };
        var optimizer = new Option<string?>("--optimizer") { Description = "adam (default) | adamw (decoupled weight decay, default 0.01) | sgd (try --lr 0.1 --momentum 0.9) | rmsprop (α 0.99, ε 1e-8): the optimizer, at --lr." };
        var momentum = new Option<float?>("--momentum") { Description = "SGD's or RMSprop's momentum, in [0, 1). Default 0 (none)." };
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD with Nesterov momentum (needs --momentum > 0)." };
        var weightDecay = new Option<float?>("--weight-decay") { Description = "Weight decay λ ≥ 0 on every parameter: decoupled for adamw (default 0.01); for the others (default 0) an L2 term λ·θ in the gradient, as PyTorch's Adam and SGD add it." };
        var lrFinal = new Option<float?>("--lr-final") { Description = "Cosine-decay the learning rate to this fraction of --lr by the last epoch (1 = constant). Default 0.05." };
        var hidden = new Option<int?>("--hidden") { Description = "Width of each hidden layer. Default 64." };
        var layers = new Option<int?>("--layers") { Description = "Hidden layers, each Dense → [BatchNorm] → ReLU → [Dropout]. Default 2." };
        var dropout = new Option<float?>("--dropout") { Description = "Dropout rate after each hidden ReLU, in [0, 1). Default 0 (none)." };
        var batchNorm = new Option<bool>("--batch-norm") { Description = "Add BatchNorm after each hidden Dense layer." };
        var validation = new Option<double?>("--validation") { Description = "Share of the examples held out for validation, stratified by class, in [0, 1). Default 0.2; 0 for none." };
        var patience = new Option<int?>("--patience") { Description = "Early stopping: stop after this many epochs without a lower validation loss, keeping the best weights. Default 0 (off)." };
        var clipNorm = new Option<float?>("--clip-norm") { Description = "Gradient clipping: scale each batch's gradients down to this global L2 norm when they are longer. Default off." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the one random generator behind data, split, weights, shuffling and dropout. Default 1." };
        var output = new Option<string?>("--out") { Description = "Output folder. Default out/." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG figures." };
        var exportOnnx = new Option<bool>("--export-onnx") { Description = "Also write model.onnx (logits; ONNX opset 17)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only errors, notes (on standard error) and the final one-line summary." };

        var root = new RootCommand("Trains a multi-class MLP classifier (softmax cross-entropy) on a 3-class spiral or on your CSV table, and writes a decision-boundary plot, loss/accuracy curves, the model and a report.");
        foreach (Option o in new Option[] { csv, labelColumn, delimiter, header, points, classes, noise, epochs, batch, lr, optimizer, momentum, nesterov, weightDecay, lrFinal, hidden, layers, dropout, batchNorm, validation, patience, clipNorm, seed, output, noPlots, exportOnnx, quiet })
        {
            root.Options.Add(o);
        }

        root.SetAction(parse =>
        {
            ClassifierSettings s;
            try
            {
                var d = new ClassifierSettings();
                s = d with
                {
                    Csv = parse.GetValue(csv),
                    LabelColumn = parse.GetValue(labelColumn) ?? d.LabelColumn,
                    Delimiter = ParseDelimiter(parse.GetValue(delimiter)) ?? d.Delimiter,
                    Header = ParseHeader(parse.GetValue(header)) ?? d.Header,
                    Points = parse.GetValue(points) ?? d.Points,
                    Classes = parse.GetValue(classes) ?? d.Classes,
                    Noise = parse.GetValue(noise) ?? d.Noise,
                    Epochs = parse.GetValue(epochs) ?? d.Epochs,
                    Batch = parse.GetValue(batch) ?? d.Batch,
                    LearningRate = parse.GetValue(lr) ?? d.LearningRate,
                    Optimizer = ParseOptimizer(parse.GetValue(optimizer)) ?? d.Optimizer,
                    Momentum = parse.GetValue(momentum),
                    Nesterov = parse.GetValue(nesterov),
                    WeightDecay = parse.GetValue(weightDecay),
                    LearningRateFinalFraction = parse.GetValue(lrFinal) ?? d.LearningRateFinalFraction,
                    Hidden = parse.GetValue(hidden) ?? d.Hidden,
                    Layers = parse.GetValue(layers) ?? d.Layers,
                    Dropout = parse.GetValue(dropout) ?? d.Dropout,
                    BatchNorm = parse.GetValue(batchNorm),
                    Validation = parse.GetValue(validation) ?? d.Validation,
                    Patience = parse.GetValue(patience) ?? d.Patience,
                    ClipNorm = parse.GetValue(clipNorm),
                    Seed = parse.GetValue(seed) ?? d.Seed,
                    OutputDirectory = parse.GetValue(output) ?? d.OutputDirectory,
                    NoPlots = parse.GetValue(noPlots),
                    ExportOnnx = parse.GetValue(exportOnnx),
                    Quiet = parse.GetValue(quiet),
                };
                Validate(s, csvGiven: s.Csv is not null, spiralOptionGiven: parse.GetResult(points) is not null || parse.GetResult(classes) is not null || parse.GetResult(noise) is not null, csvOptionGiven: parse.GetResult(labelColumn) is not null || parse.GetResult(delimiter) is not null || parse.GetResult(header) is not null);
            }
            catch (ArgumentException e)
            {
                return SampleConsole.Fail(ExitBadInput, e.Message);
            }

            return RunTraining(s, cancellationToken);
        });

        ParseResult result = root.Parse(args);
        if (SampleConsole.CommandLineProblem(result) is string problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        return result.Invoke();
    }

    private static void Validate(ClassifierSettings s, bool csvGiven, bool spiralOptionGiven, bool csvOptionGiven)
    {
        SampleConsole.Require(!(csvGiven && spiralOptionGiven), "--points, --classes and --noise shape the spiral; they do not apply with --csv.");
        SampleConsole.Require(csvGiven || !csvOptionGiven, "--label-column, --delimiter and --header need --csv FILE.");
        SampleConsole.Require(s.Csv is null || !string.IsNullOrWhiteSpace(s.Csv), "--csv must name a file.");
        SampleConsole.Require(s.Points >= 2, $"--points must be ≥ 2 (got {s.Points}).");
        SampleConsole.Require(s.Classes >= 2 && s.Classes <= 10, $"--classes must be in 2..10 (got {s.Classes}).");
        SampleConsole.Require(s.Noise >= 0 && float.IsFinite(s.Noise), $"--noise must be a finite number ≥ 0 (got {s.Noise}).");
        SampleConsole.Require(s.Epochs >= 1, $"--epochs must be ≥ 1 (got {s.Epochs}).");
        SampleConsole.Require(s.Batch >= 1, $"--batch must be ≥ 1 (got {s.Batch}).");
        SampleConsole.Require(s.LearningRate > 0 && float.IsFinite(s.LearningRate), $"--lr must be a finite number > 0 (got {s.LearningRate}).");
        var ci = CultureInfo.InvariantCulture;
        SampleConsole.Require(s.Momentum is null || s.HasMomentum, $"--momentum applies to --optimizer sgd or rmsprop; {s.Optimizer} has β1 (0.9) instead.");
        SampleConsole.Require(s.Momentum is not { } m || (m >= 0 && m < 1), string.Create(ci, $"--momentum must be in [0, 1) (got {s.Momentum})."));
        SampleConsole.Require(!s.Nesterov || s.Optimizer == "sgd", $"--nesterov applies to --optimizer sgd (got {s.Optimizer}).");
        SampleConsole.Require(!s.Nesterov || s.Momentum > 0, "--nesterov needs --momentum > 0.");
        SampleConsole.Require(s.WeightDecay is not { } w || (w >= 0 && float.IsFinite(w)), string.Create(ci, $"--weight-decay must be a finite number ≥ 0 (got {s.WeightDecay})."));
        SampleConsole.Require(s.LearningRateFinalFraction > 0 && s.LearningRateFinalFraction <= 1, $"--lr-final must be in (0, 1] (got {s.LearningRateFinalFraction}).");
        SampleConsole.Require(s.Hidden >= 1, $"--hidden must be ≥ 1 (got {s.Hidden}).");
        SampleConsole.Require(s.Layers >= 1 && s.Layers <= 16, $"--layers must be in 1..16 (got {s.Layers}).");
        SampleConsole.Require(s.Dropout >= 0 && s.Dropout < 1, $"--dropout must be in [0, 1) (got {s.Dropout}).");
        SampleConsole.Require(s.Validation >= 0 && s.Validation < 1, $"--validation must be in [0, 1) (got {s.Validation}).");
        SampleConsole.Require(s.Patience >= 0, $"--patience must be ≥ 0 (got {s.Patience}).");
        SampleConsole.Require(s.Patience == 0 || s.Validation > 0, "--patience needs a validation split (--validation > 0).");
        SampleConsole.Require(s.ClipNorm is not { } c || (c > 0 && float.IsFinite(c)), $"--clip-norm must be a finite number > 0 (got {s.ClipNorm}).");
        SampleConsole.Require(!(s.BatchNorm && s.Batch < 2), "--batch-norm needs --batch ≥ 2 (BatchNorm estimates a variance from each batch).");
        SampleConsole.Require(!string.IsNullOrWhiteSpace(s.OutputDirectory), "--out must name a folder.");
    }

    private static char? ParseDelimiter(string? value) => value switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => value[0],
        _ => throw new ArgumentException($"--delimiter must be one character or 'tab' (got '{value}')."),
    };

    private static string? ParseOptimizer(string? value) => value switch
    {
        null => null,
        "adam" or "adamw" or "sgd" or "rmsprop" => value,
        _ => throw new ArgumentException($"Unknown --optimizer '{value}'; expected adam, adamw, sgd or rmsprop."),
    };

    private static CsvHeader? ParseHeader(string? value) => value switch
    {
        null => null,
        "auto" => CsvHeader.Auto,
        "present" => CsvHeader.Present,
        "absent" => CsvHeader.Absent,
        _ => throw new ArgumentException($"Unknown --header '{value}'; expected auto, present or absent."),
    };

    private static int RunTraining(ClassifierSettings s, CancellationToken externalToken)
    {
        if (SampleConsole.PrepareOutput(s.OutputDirectory) is { } problem)
        {
            return SampleConsole.Fail(ExitBadInput, problem);
        }

        SampleConsole.EarlierOutputs earlier = FindEarlierOutputs(s.OutputDirectory);

        var random = new RandomSource(s.Seed);
        PreparedData data;
        try
        {
            data = Experiment.Prepare(s, random);
            if (s.BatchNorm && data.Training.Count < 2)
            {
                throw new ArgumentException("--batch-norm needs at least 2 training examples.");
            }
        }
        catch (Exception e) when (e is CsvFormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            string what = e is FileNotFoundException or DirectoryNotFoundException ? $"cannot read '{s.Csv}': " : string.Empty;
            return SampleConsole.Fail(ExitBadInput, what + e.Message);
        }

        Sequential model = Experiment.BuildModel(data.Features, data.Classes, s, random);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(externalToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        string describe = $"{(data.Source == "spiral" ? $"spiral {s.Classes}×{s.Points}" : Path.GetFileName(data.Source))}, {data.Classes} classes, {model.Describe()}";
        RunResult run;
        try
        {
            run = TrainWithProgress(model, data, s, random, describe, cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (run.Divergence is { RestoredBestEpoch: 0 } divergence)
        {
            return EndDiverged(divergence, run, s, describe, earlier);
        }

        return Finish(run, data, s, earlier);
    }

    /// <summary>
    /// Evaluates the trained model and writes every file: metrics, model, figures, report; exit code 0, or 130 when
    /// cancelled. A run that diverged under --patience also ends here, since Fit put its best epoch's weights back: the
    /// files then describe that epoch's model, report.json says so (<c>divergence</c>), and the exit code is 3.
    /// </summary>
    internal static int Finish(RunResult run, PreparedData data, ClassifierSettings s, SampleConsole.EarlierOutputs earlier)
    {
        Sequential model = run.Model;
        (float trainLoss, float trainAccuracy) = Experiment.Evaluate(model, data.Training);
        (float validationLoss, float validationAccuracy) = data.Validation is null ? (float.NaN, float.NaN) : Experiment.Evaluate(model, data.Validation);
        int[][] confusion = Experiment.Confusion(model, data.Validation ?? data.Training);

        Experiment.WriteHistory(Path.Combine(s.OutputDirectory, "metrics.csv"), run.History);
        ModelCheckpoint.Save(Path.Combine(s.OutputDirectory, "model.ckpt"), model);
        if (s.ExportOnnx)
        {
            OnnxExporter.Export(model, Path.Combine(s.OutputDirectory, "model.onnx"));
        }

        string? boundary = null;
        if (!s.NoPlots)
        {
            string subtitle = string.Create(CultureInfo.InvariantCulture, $"{model.Describe()}{Experiment.DescribeOptimizerUnlessDefault(s, "\n")}\n{(data.Source == "spiral" ? $"spiral {s.Classes}×{s.Points}" : Path.GetFileName(data.Source))}, seed {s.Seed}: training accuracy {trainAccuracy:F3}{(data.Validation is null ? string.Empty : $", validation {validationAccuracy:F3}")}");
            if (data.Features >= 2)
            {
                boundary = Plots.DecisionBoundary(Path.Combine(s.OutputDirectory, "decision-boundary.png"), model, data, subtitle);
            }

            Plots.Curves(Path.Combine(s.OutputDirectory, "training.png"), run.History, run.Fit.BestEpoch, subtitle);
        }

        double totalSeconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        var report = new
        {
            settings = new
            {
                data = data.Source,
                s.Csv,
                labelColumn = s.Csv is null ? null : s.LabelColumn,
                delimiter = s.Csv is null ? null : s.Delimiter.ToString(),
                header = s.Csv is null ? null : s.Header.ToString(),
                points = s.Csv is null ? s.Points : (int?)null,
                classes = s.Csv is null ? s.Classes : (int?)null,
                noise = s.Csv is null ? s.Noise : (float?)null,
                s.Epochs,
                s.Batch,
                learningRate = s.LearningRate,
                learningRateFinalFraction = s.LearningRateFinalFraction,
                s.Hidden,
                s.Layers,
                s.Dropout,
                s.BatchNorm,
                s.Validation,
                s.Patience,
                s.Seed,
                s.ExportOnnx,
                clipNorm = s.ClipNorm,
                optimizer = s.Optimizer,
                momentum = s.HasMomentum ? s.Momentum ?? 0f : (float?)null, // null for Adam and AdamW (β1 instead)
                nesterov = s.Nesterov,
                weightDecay = s.WeightDecayUsed,
            },
            model = model.Describe(),
            parameters = model.ParameterCount,
            dataSet = new
            {
                examples = data.All.Count,
                features = data.Features,
                featureNames = data.All.FeatureNames,
                classes = data.Classes,
                classSizes = data.All.ClassSizes,
                emptyClasses = Enumerable.Range(0, data.Classes).Where(k => data.All.ClassSizes[k] == 0).ToArray(),
                trainingExamples = data.Training.Count,
                validationExamples = data.Validation?.Count ?? 0,
                standardization = new { mean = data.Scaler.Mean, std = data.Scaler.Std },
            },
            epochsCompleted = run.History.Count,
            cancelled = run.Cancelled,
            stoppedEarly = run.Fit.StoppedEarly,
            bestEpoch = run.Fit.BestEpoch,
            restoredBestWeights = run.Fit.RestoredBestWeights,
            steps = run.Fit.Steps,
            final = new
            {
                trainingLoss = trainLoss,
                trainingAccuracy = trainAccuracy,
                validationLoss = data.Validation is null ? (float?)null : validationLoss,
                validationAccuracy = data.Validation is null ? (float?)null : validationAccuracy,
                confusionMatrix = new { of = data.Validation is null ? "training" : "validation", rows = "true class", columns = "predicted class", counts = confusion },
            },
            decisionBoundary = boundary ?? (s.NoPlots ? "not drawn (--no-plots)" : "not drawn: it needs at least two features"),
            trainingSeconds = run.TrainingSeconds,
            totalSeconds,
            divergence = run.Divergence?.Message,
        };
        File.WriteAllText(Path.Combine(s.OutputDirectory, "report.json"), JsonSerializer.Serialize(report, Json));

        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{(run.Divergence is { } d ? $"diverged in epoch {d.Epoch}, kept epoch {d.RestoredBestEpoch}" : run.Cancelled ? "cancelled" : "done")}: {run.History.Count} epochs{(run.Fit.StoppedEarly ? $" (stopped early; best epoch {run.Fit.BestEpoch})" : string.Empty)}; training accuracy {trainAccuracy:F4} (loss {trainLoss:F4}){(data.Validation is null ? string.Empty : $", validation accuracy {validationAccuracy:F4} (loss {validationLoss:F4})")}; {run.TrainingSeconds:F2} s training, {totalSeconds:F2} s total; files in {s.OutputDirectory}/");
        if (!s.Quiet)
        {
            var table = new Table().AddColumn("measure").AddColumn("training").AddColumn("validation");
            string F(float v) => float.IsNaN(v) ? "–" : v.ToString("F4", CultureInfo.InvariantCulture);
            table.AddRow("examples", data.Training.Count.ToString(CultureInfo.InvariantCulture), (data.Validation?.Count ?? 0).ToString(CultureInfo.InvariantCulture));
            table.AddRow("accuracy", F(trainAccuracy), F(validationAccuracy));
            table.AddRow("loss (cross-entropy)", F(trainLoss), F(validationLoss));
            AnsiConsole.Write(table);
        }

        Console.WriteLine(line);
        List<string> written = ["metrics.csv", "model.ckpt", "report.json"];
        written.AddRange(s.ExportOnnx ? ["model.onnx"] : []);
        written.AddRange(s.NoPlots ? [] : boundary is null ? ["training.png"] : ["training.png", "decision-boundary.png"]);
        if (run.Divergence is { } diverged)
        {
            // One error line, as every failure gives: the earlier run's files go into it.
            return SampleConsole.Fail(ExitDiverged, $"{diverged.Message} The files in {Path.GetFullPath(s.OutputDirectory)} describe that model.{SampleConsole.EarlierRunSentence(earlier, written)}");
        }

        SampleConsole.NoteEarlierRunFiles(earlier, written);

        return run.Cancelled ? ExitCancelled : ExitOk;
    }

    /// <summary>The sample's files in <paramref name="directory"/> now, as a run finds them before it writes any (see <see cref="SampleConsole.EarlierOutputs"/>).</summary>
    internal static SampleConsole.EarlierOutputs FindEarlierOutputs(string directory) => SampleConsole.EarlierOutputs.Find(directory, OutputFiles);

    /// <summary>Every file a training run may write into its output folder.</summary>
    internal static readonly string[] OutputFiles = ["report.json", "metrics.csv", "model.ckpt", "model.onnx", "training.png", "decision-boundary.png"];

    /// <summary>
    /// The end of a run that diverged: the history of the epochs completed before it (metrics.csv) and its figure are
    /// kept; exit code <see cref="ExitDiverged"/> with the message, the folder and the files. No model, report or
    /// decision boundary: the weights may hold the non-finite values. (A run whose best epoch Fit put back ends in
    /// <see cref="Finish"/> instead.)
    /// </summary>
    internal static int EndDiverged(FitDivergenceException divergence, RunResult run, ClassifierSettings s, string describe, SampleConsole.EarlierOutputs earlier) =>
        SampleConsole.FailDiverged(divergence, s.OutputDirectory, earlier, kept =>
        {
            Experiment.WriteHistory(Path.Combine(s.OutputDirectory, "metrics.csv"), run.History);
            kept.Add(SampleConsole.WithRows("metrics.csv", run.History.Count));
            if (!s.NoPlots && run.History.Count > 0)
            {
                string subtitle = string.Create(CultureInfo.InvariantCulture, $"{describe}{Experiment.DescribeOptimizerUnlessDefault(s, "\n")}\nseed {s.Seed}: diverged in epoch {divergence.Epoch}, step {divergence.Step}");
                Plots.Curves(Path.Combine(s.OutputDirectory, "training.png"), run.History, run.Fit.BestEpoch, subtitle);
                kept.Add("training.png");
            }
        });

    private static RunResult TrainWithProgress(Sequential model, PreparedData data, ClassifierSettings s, RandomSource random, string describe, CancellationToken token)
    {
        if (s.Quiet)
        {
            return Experiment.Train(model, data, s, random, null, token);
        }

        string Status(FitProgress p) => string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {p.Epoch,4}/{p.Epochs}  loss {p.Loss:F4}  accuracy {p.Accuracy:F3}{(float.IsNaN(p.ValidationAccuracy) ? string.Empty : $"  validation {p.ValidationAccuracy:F3}")}");

        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            Console.WriteLine($"training {s.Epochs} epochs ({describe}{Experiment.DescribeOptimizerUnlessDefault(s, ", ")})");
            int every = Math.Max(1, s.Epochs / 20);
            return Experiment.Train(
                model,
                data,
                s,
                random,
                p =>
                {
                    if (p.Epoch % every == 0 || p.Epoch == p.Epochs)
                    {
                        Console.WriteLine(Status(p));
                    }
                },
                token);
        }

        RunResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape($"training ({describe}{Experiment.DescribeOptimizerUnlessDefault(s, ", ")})"), maxValue: s.Epochs);
                result = Experiment.Train(
                    model,
                    data,
                    s,
                    random,
                    p =>
                    {
                        task.Value = p.Epoch;
                        task.Description = Markup.Escape(Status(p));
                    },
                    token);
                if (result.Divergence is { } divergence)
                {
                    task.Description = $"[red]diverged in epoch {divergence.Epoch}[/]";
                }
            });
        return result!;
    }
}

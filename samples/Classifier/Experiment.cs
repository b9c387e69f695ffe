using System.Diagnostics;
using System.Globalization;
using System.Text;
using GanCore.Data;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace Classifier;

/// <summary>The data a run trains on, after the validation split and standardization.</summary>
/// <param name="Source">"spiral" or the CSV path.</param>
/// <param name="All">Every example, in the original feature units.</param>
/// <param name="Training">The training part, standardized.</param>
/// <param name="Validation">The validation part, standardized; null without a split.</param>
/// <param name="Scaler">The standardization fitted on the training part.</param>
internal sealed record PreparedData(string Source, LabeledData All, LabeledData Training, LabeledData? Validation, Standardizer Scaler)
{
    public int Features => All.Features.Columns;

    public int Classes => All.ClassCount;
}

/// <summary>Per-feature standardization z = (x − mean)/std, fitted on the training data (std 1 for a constant feature).</summary>
internal sealed class Standardizer
{
    private Standardizer(float[] mean, float[] std)
    {
        Mean = mean;
        Std = std;
    }

    public float[] Mean { get; }

    public float[] Std { get; }

    public static Standardizer Fit(Matrix x)
    {
        var mean = new float[x.Columns];
        var std = new float[x.Columns];
        for (int j = 0; j < x.Columns; j++)
        {
            double sum = 0;
            for (int i = 0; i < x.Rows; i++)
            {
                sum += x[i, j];
            }

            double m = sum / x.Rows;
            double squares = 0;
            for (int i = 0; i < x.Rows; i++)
            {
                squares += (x[i, j] - m) * (x[i, j] - m);
            }

            double s = Math.Sqrt(squares / x.Rows);
            mean[j] = (float)m;
            std[j] = s > 1e-12 ? (float)s : 1f;
        }

        return new Standardizer(mean, std);
    }

    public Matrix Apply(Matrix x)
    {
        var z = new Matrix(x.Rows, x.Columns);
        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<float> row = x.Row(i);
            Span<float> target = z.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                target[j] = (row[j] - Mean[j]) / Std[j];
            }
        }

        return z;
    }

    public LabeledData Apply(LabeledData d) => new(Apply(d.Features), d.Labels, d.FeatureNames);
}

/// <summary>One epoch of the training history.</summary>
internal sealed record EpochRow(int Epoch, float Loss, float Accuracy, float ValidationLoss, float ValidationAccuracy, float LearningRate);

/// <summary>What a training run produced: finished, cancelled or diverged.</summary>
/// <param name="Divergence">Why training stopped early with non-finite values (<see cref="Sequential.Fit"/>'s error), or
/// null. The history then holds the epochs completed before it, and the model's weights may be non-finite, unless Fit
/// put the best epoch's back (<see cref="FitDivergenceException.RestoredBestEpoch"/>, under --patience).</param>
internal sealed record RunResult(Sequential Model, FitResult Fit, IReadOnlyList<EpochRow> History, bool Cancelled, double TrainingSeconds, FitDivergenceException? Divergence = null);

/// <summary>Loading, splitting, model building, training and evaluation: everything but the command line and the plots.</summary>
internal static class Experiment
{
    /// <summary>Reads the CSV (or generates the spiral), splits off validation data and standardizes.</summary>
    /// <exception cref="CsvFormatException">The CSV is not a numeric table, or a label is not a class id.</exception>
    /// <exception cref="ArgumentException">A setting does not fit the data (label column, too few classes or examples).</exception>
    public static PreparedData Prepare(ClassifierSettings s, RandomSource random)
    {
        LabeledData all;
        string source;
        if (s.Csv is null)
        {
            all = Spiral.Generate(s.Points, s.Classes, s.Noise, random);
            source = "spiral";
        }
        else
        {
            CsvTable table = CsvReader.ReadFile(s.Csv, new CsvOptions { Delimiter = s.Delimiter, Header = s.Header });
            int column = ResolveLabelColumn(table, s.LabelColumn);
            all = table.SplitLabels(column);
            source = s.Csv;
        }

        if (all.ClassCount < 2)
        {
            throw new ArgumentException($"{source}: every label is 0, so there is only one class; a classifier needs at least two.");
        }

        LabeledData training = all;
        LabeledData? validation = null;
        if (s.Validation > 0)
        {
            try
            {
                (training, validation) = all.Split(s.Validation, random);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"--validation {s.Validation.ToString(CultureInfo.InvariantCulture)}: {FirstSentence(e.Message)}");
            }
        }

        Standardizer scaler = Standardizer.Fit(training.Features);
        return new PreparedData(source, all, scaler.Apply(training), validation is null ? null : scaler.Apply(validation), scaler);
    }

    /// <summary>"3" → column 3, "-1" → the last column, anything else → the header name.</summary>
    public static int ResolveLabelColumn(CsvTable table, string spec)
    {
        if (int.TryParse(spec, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            if (index == -1)
            {
                return table.Columns - 1;
            }

            if (index < 0 || index >= table.Columns)
            {
                throw new ArgumentException($"--label-column {index} is outside the {table.Columns} columns of {table.Source} (0..{table.Columns - 1}, or -1 for the last).");
            }

            return index;
        }

        try
        {
            return table.ColumnIndex(spec);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--label-column '{spec}': {FirstSentence(e.Message)}");
        }
    }

    /// <summary>Dense(in→hidden) → [BatchNorm] → ReLU → [Dropout], repeated, then Dense(hidden→classes), which outputs logits.</summary>
    public static Sequential BuildModel(int inputs, int classes, ClassifierSettings s, RandomSource random)
    {
        var layers = new List<Layer>();
        int width = inputs;
        for (int l = 0; l < s.Layers; l++)
        {
            layers.Add(new Dense(width, s.Hidden, random));
            if (s.BatchNorm)
            {
                layers.Add(new BatchNorm(s.Hidden));
            }

            layers.Add(new ReLU());
            if (s.Dropout > 0)
            {
                layers.Add(new Dropout(s.Dropout, random));
            }

            width = s.Hidden;
        }

        layers.Add(new Dense(width, classes, random));
        return new Sequential(layers);
    }

    /// <summary>
    /// Trains with the settings' optimizer on softmax cross-entropy through <see cref="Sequential.Fit"/>. A run that diverges (a NaN or
    /// infinite output, loss or weight) is returned with the error in <see cref="RunResult.Divergence"/> and the epochs completed
    /// before it, so that what was logged is not lost.
    /// </summary>
    public static RunResult Train(Sequential model, PreparedData data, ClassifierSettings s, RandomSource random, Action<FitProgress>? onEpoch, CancellationToken token)
    {
        Optimizer optimizer = CreateOptimizer(s, model.Parameters);
        optimizer.GradientClipNorm = s.ClipNorm;
        long stepsPerEpoch = (data.Training.Count + s.Batch - 1) / s.Batch;
        if (s.LearningRateFinalFraction < 1f)
        {
            optimizer.Schedule = new CosineDecaySchedule(stepsPerEpoch * s.Epochs, s.LearningRateFinalFraction);
        }

        var options = new FitOptions
        {
            Epochs = s.Epochs,
            BatchSize = s.Batch,
            Shuffle = true,
            Random = random,
            ValidationInputs = data.Validation?.Features,
            ValidationTargets = data.Validation?.Labels,
            EarlyStoppingPatience = data.Validation is null ? 0 : s.Patience,
        };
        var history = new List<EpochRow>();
        var clock = Stopwatch.StartNew();
        bool cancelled = false;
        FitDivergenceException? divergence = null;
        FitResult? fit = null;
        try
        {
            fit = model.Fit(
                data.Training.Features,
                data.Training.Labels,
                new SoftmaxCrossEntropy(),
                optimizer,
                options,
                p =>
                {
                    history.Add(new EpochRow(p.Epoch, p.Loss, p.Accuracy, p.ValidationLoss, p.ValidationAccuracy, optimizer.CurrentLearningRate));
                    onEpoch?.Invoke(p);
                },
                token);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }
        catch (FitDivergenceException e)
        {
            divergence = e;
        }

        model.IsTraining = false;
        fit ??= new FitResult(optimizer.StepCount, history.Select(h => h.Loss).ToArray())
        {
            // After a divergence: the epoch Fit put back, or else the one of the lowest validation loss so far (for the figure).
            BestEpoch = divergence is null ? 0
                : divergence.RestoredBestEpoch > 0 ? divergence.RestoredBestEpoch
                : history.Where(h => !float.IsNaN(h.ValidationLoss)).MinBy(h => h.ValidationLoss)?.Epoch ?? 0,
            RestoredBestWeights = divergence?.RestoredBestEpoch > 0,
        };
        return new RunResult(model, fit, history, cancelled, clock.Elapsed.TotalSeconds, divergence);
    }

    /// <summary>The optimizer <paramref name="s"/> names, at its learning rate, with its momentum and weight decay.</summary>
    public static Optimizer CreateOptimizer(ClassifierSettings s, IEnumerable<Parameter> parameters) => s.Optimizer switch
    {
        "adam" => new Adam(parameters, s.LearningRate, weightDecay: s.WeightDecayUsed),
        "adamw" => new Adam(parameters, s.LearningRate, weightDecay: s.WeightDecayUsed, decoupledWeightDecay: true),
        "sgd" => new Sgd(parameters, s.LearningRate, s.Momentum ?? 0f, s.Nesterov, s.WeightDecayUsed),
        "rmsprop" => new RmsProp(parameters, s.LearningRate, weightDecay: s.WeightDecayUsed, momentum: s.Momentum ?? 0f),
        _ => throw new ArgumentException($"Unknown optimizer '{s.Optimizer}'."),
    };

    /// <summary>
    /// The optimizer as the console and figures name it, after <paramref name="separator"/>: "SGD lr 0.1, momentum 0.9
    /// (Nesterov)", "AdamW lr 0.01, weight decay 0.01"; empty for plain Adam, the default (as the Mixtures sample
    /// names only another one).
    /// </summary>
    public static string DescribeOptimizerUnlessDefault(ClassifierSettings s, string separator)
    {
        if (s.Optimizer == "adam" && s.WeightDecayUsed == 0f)
        {
            return string.Empty;
        }

        string name = s.Optimizer switch
        {
            "adam" => "Adam",
            "adamw" => "AdamW",
            "sgd" => "SGD",
            "rmsprop" => "RMSprop",
            _ => throw new ArgumentException($"Unknown optimizer '{s.Optimizer}'."),
        };
        string text = string.Create(CultureInfo.InvariantCulture, $"{separator}{name} lr {s.LearningRate}");
        if (s.Momentum is > 0f and float momentum)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", momentum {momentum}{(s.Nesterov ? " (Nesterov)" : string.Empty)}");
        }

        return s.WeightDecayUsed > 0f ? text + string.Create(CultureInfo.InvariantCulture, $", weight decay {s.WeightDecayUsed}") : text;
    }

    /// <summary>Loss and accuracy of the model in inference mode on a data set.</summary>
    public static (float Loss, float Accuracy) Evaluate(Sequential model, LabeledData data)
    {
        bool mode = model.IsTraining;
        model.IsTraining = false;
        try
        {
            Matrix logits = model.Forward(data.Features);
            float loss = new SoftmaxCrossEntropy().Compute(logits, data.Labels);
            return (loss, Classification.Accuracy(logits, data.Labels));
        }
        finally
        {
            model.IsTraining = mode;
        }
    }

    /// <summary>The predicted class of every row (arg-max of the logits), in inference mode.</summary>
    public static int[] Predict(Sequential model, Matrix standardizedFeatures)
    {
        bool mode = model.IsTraining;
        model.IsTraining = false;
        try
        {
            Matrix logits = model.Forward(standardizedFeatures);
            var classes = new int[logits.Rows];
            for (int i = 0; i < logits.Rows; i++)
            {
                ReadOnlySpan<float> row = logits.Row(i);
                int best = 0;
                for (int j = 1; j < row.Length; j++)
                {
                    if (row[j] > row[best])
                    {
                        best = j;
                    }
                }

                classes[i] = best;
            }

            return classes;
        }
        finally
        {
            model.IsTraining = mode;
        }
    }

    /// <summary>counts[true class][predicted class].</summary>
    public static int[][] Confusion(Sequential model, LabeledData data)
    {
        int[] predicted = Predict(model, data.Features);
        int[][] counts = Enumerable.Range(0, data.ClassCount).Select(_ => new int[data.ClassCount]).ToArray();
        for (int i = 0; i < predicted.Length; i++)
        {
            counts[(int)data.Labels[i, 0]][predicted[i]]++;
        }

        return counts;
    }

    public static void WriteHistory(string path, IReadOnlyList<EpochRow> history)
    {
        var text = new StringBuilder("epoch,loss,accuracy,validation_loss,validation_accuracy,learning_rate\n");
        foreach (EpochRow r in history)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Epoch},{r.Loss:R},{r.Accuracy:R},{r.ValidationLoss:R},{r.ValidationAccuracy:R},{r.LearningRate:R}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string FirstSentence(string message)
    {
        int paren = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return paren < 0 ? message : message[..paren];
    }
}

using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Models;

/// <summary>Fit with validation data, accuracy, early stopping, the training/inference mode, and learning-rate schedules.</summary>
public class FitValidationTests
{
    /// <summary>Three Gaussian blobs in 2-D, one per class, with class-index targets (one column).</summary>
    internal static (Matrix X, Matrix Y) Blobs(int perClass, RandomSource random, float spread = 0.3f)
    {
        var x = new Matrix(3 * perClass, 2);
        var y = new Matrix(3 * perClass, 1);
        float[][] centres = [[-2f, 0f], [2f, 0f], [0f, 2.5f]];
        for (int c = 0; c < 3; c++)
        {
            for (int k = 0; k < perClass; k++)
            {
                int i = (c * perClass) + k;
                x[i, 0] = centres[c][0] + (float)random.NextGaussian(0, spread);
                x[i, 1] = centres[c][1] + (float)random.NextGaussian(0, spread);
                y[i, 0] = c;
            }
        }

        return (x, y);
    }

    private static Sequential Classifier(RandomSource random, float dropout = 0.1f) => new(
        new Dense(2, 16, random), new BatchNorm(16), new ReLU(), new Dropout(dropout, new RandomSource(3)), new Dense(16, 3, random));

    private static float InferenceLoss(Sequential model, Matrix x, Matrix y, Loss loss)
    {
        bool was = model.IsTraining;
        model.IsTraining = false;
        float value = loss.Compute(model.Forward(x), y);
        model.IsTraining = was;
        return value;
    }

    [Fact]
    public void Classification_reports_training_and_validation_loss_and_accuracy_each_epoch_in_inference_mode()
    {
        var random = new RandomSource(21);
        (Matrix x, Matrix y) = Blobs(40, random);
        (Matrix vx, Matrix vy) = Blobs(20, random);
        Sequential model = Classifier(random);
        var loss = new SoftmaxCrossEntropy();
        var reported = new List<FitProgress>();
        var recomputed = new List<(float Loss, float Accuracy)>();

        FitResult result = model.Fit(x, y, loss, new Adam(model.Parameters, 0.02f), new FitOptions
        {
            Epochs = 15,
            BatchSize = 16,
            Random = random,
            ValidationInputs = vx,
            ValidationTargets = vy,
        }, p =>
        {
            reported.Add(p);
            model.IsTraining = false;
            Matrix output = model.Forward(vx);
            recomputed.Add((loss.Compute(output, vy), Classification.Accuracy(output, vy)));
        });

        result.ValidationLosses.Should().HaveCount(15).And.Equal(reported.Select(p => p.ValidationLoss));
        result.ValidationAccuracies.Should().Equal(reported.Select(p => p.ValidationAccuracy));
        result.EpochAccuracies.Should().HaveCount(15).And.Equal(reported.Select(p => p.Accuracy));
        for (int e = 0; e < 15; e++)
        {
            // Evaluated in batches of 16 in double, here in one pass: equal up to float rounding.
            reported[e].ValidationLoss.Should().BeApproximately(recomputed[e].Loss, 1e-5f, $"epoch {e + 1}'s validation loss is the inference-mode loss");
            reported[e].ValidationAccuracy.Should().Be(recomputed[e].Accuracy);
        }

        result.ValidationAccuracies[^1].Should().Be(1f, "three well-separated blobs");
        result.EpochAccuracies[^1].Should().BeGreaterThan(0.95f);
        result.ValidationLosses[^1].Should().BeLessThan(result.ValidationLosses[0]);
        result.BestEpoch.Should().BeInRange(1, 15);
        result.StoppedEarly.Should().BeFalse();
        model.IsTraining.Should().BeTrue("Fit puts back the mode it found");
    }

    [Fact]
    public void One_hot_targets_train_the_same_as_class_indices()
    {
        var random = new RandomSource(22);
        (Matrix x, Matrix y) = Blobs(10, random);
        var oneHot = new Matrix(30, 3);
        for (int i = 0; i < 30; i++)
        {
            oneHot[i, (int)y[i, 0]] = 1f;
        }

        FitResult Run(Matrix targets)
        {
            var r = new RandomSource(5);
            Sequential m = Classifier(r);
            return m.Fit(x, targets, new SoftmaxCrossEntropy(), new Adam(m.Parameters, 0.01f), new FitOptions { Epochs = 3, BatchSize = 8, Random = r });
        }

        Run(oneHot).EpochLosses.Should().Equal(Run(y).EpochLosses);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fit_trains_in_training_mode_and_restores_the_mode_it_found_even_when_cancelled(bool initial)
    {
        var random = new RandomSource(23);
        (Matrix x, Matrix y) = Blobs(10, random);
        Sequential model = Classifier(random);
        model.IsTraining = initial;
        var modes = new List<bool>();
        var dropout = (Dropout)model.Layers[3];

        model.Fit(x, y, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0.01f), new FitOptions { Epochs = 2, BatchSize = 10, Shuffle = false }, _ => modes.Add(dropout.IsTraining));
        modes.Should().Equal(true, true);
        model.IsTraining.Should().Be(initial);
        dropout.IsTraining.Should().Be(initial);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Action act = () => model.Fit(x, y, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0.01f), new FitOptions { Shuffle = false }, cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
        model.IsTraining.Should().Be(initial);
    }

    [Fact]
    public void Validation_in_inference_mode_does_not_depend_on_dropout_masks()
    {
        var random = new RandomSource(24);
        (Matrix x, Matrix y) = Blobs(10, random);
        Sequential model = Classifier(random, dropout: 0.9f);
        var options = new FitOptions { Epochs = 1, BatchSize = 10, Shuffle = false, ValidationInputs = x, ValidationTargets = y };
        FitResult result = model.Fit(x, y, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0.01f), options);

        result.ValidationLosses[0].Should().BeApproximately(InferenceLoss(model, x, y, new SoftmaxCrossEntropy()), 1e-5f);
    }

    /// <summary>A regression whose validation targets are the negated training targets: the better it fits, the worse it validates.</summary>
    private static (Sequential Model, Matrix X, Matrix Y, Matrix VY) Diverging()
    {
        var random = new RandomSource(25);
        var model = new Sequential(new Dense(2, 8, random), new Tanh(), new Dense(8, 1, random));
        var x = new Matrix(16, 2);
        random.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(16, 1);
        var vy = new Matrix(16, 1);
        for (int i = 0; i < 16; i++)
        {
            y[i, 0] = x[i, 0] + x[i, 1] + 1f;
            vy[i, 0] = -y[i, 0];
        }

        return (model, x, y, vy);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_a_new_best_and_restores_the_best_weights()
    {
        (Sequential model, Matrix x, Matrix y, Matrix vy) = Diverging();
        float[]? afterEpoch1 = null;
        FitResult result = model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.05f), new FitOptions
        {
            Epochs = 50,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = x,
            ValidationTargets = vy,
            EarlyStoppingPatience = 3,
        }, p =>
        {
            if (p.Epoch == 1)
            {
                afterEpoch1 = model.Parameters.SelectMany(q => q.Value.Span.ToArray()).ToArray();
            }
        });

        result.ValidationLosses.Should().BeInAscendingOrder("fitting y moves the model away from −y");
        result.BestEpoch.Should().Be(1);
        result.StoppedEarly.Should().BeTrue();
        result.EpochLosses.Should().HaveCount(4, "epoch 1 was the best; epochs 2, 3, 4 did not improve; patience 3");
        result.RestoredBestWeights.Should().BeTrue();
        model.Parameters.SelectMany(q => q.Value.Span.ToArray()).Should().Equal(afterEpoch1, "the best epoch's weights are put back");
        InferenceLoss(model, x, vy, new MeanSquaredError()).Should().BeApproximately(result.ValidationLosses[0], 1e-6f);
    }

    [Fact]
    public void Without_restoring_the_last_weights_stay()
    {
        (Sequential model, Matrix x, Matrix y, Matrix vy) = Diverging();
        FitResult result = model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.05f), new FitOptions
        {
            Epochs = 50,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = x,
            ValidationTargets = vy,
            EarlyStoppingPatience = 2,
            RestoreBestWeights = false,
        });

        result.EpochLosses.Should().HaveCount(3);
        result.RestoredBestWeights.Should().BeFalse();
        InferenceLoss(model, x, vy, new MeanSquaredError()).Should().BeApproximately(result.ValidationLosses[^1], 1e-6f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_run_that_diverges_under_early_stopping_gets_the_best_epochs_weights_back(bool restore)
    {
        // The validation loss is lowest after epoch 1 (Diverging's validation targets are the negated ones); a NaN put
        // into a weight after epoch 3 makes epoch 4's first output NaN. With RestoreBestWeights, Fit puts epoch 1's
        // weights back before it throws, as it does at any other end of training; without, the NaN stays.
        (Sequential model, Matrix x, Matrix y, Matrix vy) = Diverging();
        float[]? afterEpoch1 = null;
        Action fit = () => model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.05f), new FitOptions
        {
            Epochs = 50,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = x,
            ValidationTargets = vy,
            EarlyStoppingPatience = 10,
            RestoreBestWeights = restore,
        }, p =>
        {
            if (p.Epoch == 1)
            {
                afterEpoch1 = model.Parameters.SelectMany(q => q.Value.Span.ToArray()).ToArray();
            }

            if (p.Epoch == 3)
            {
                model.Parameters[0].Value.Span[0] = float.NaN;
            }
        });

        FitDivergenceException e = fit.Should().Throw<FitDivergenceException>().Which;
        e.Epoch.Should().Be(4);
        e.Step.Should().Be(13, "4 steps per epoch");
        float[] now = model.Parameters.SelectMany(q => q.Value.Span.ToArray()).ToArray();
        if (restore)
        {
            e.RestoredBestEpoch.Should().Be(1);
            e.Message.Should().StartWith("Fit: training diverged at epoch 4, step 13: ").And.EndWith("The weights of epoch 1 (lowest validation loss) were restored into the model.");
            e.StackTrace.Should().Contain("FitCore", "the exception is rethrown, not wrapped");
            now.Should().Equal(afterEpoch1);
        }
        else
        {
            e.RestoredBestEpoch.Should().Be(0);
            now.Should().Contain(float.NaN, "nothing was put back");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_best_state_that_is_not_finite_itself_is_not_put_back(bool hidden)
    {
        // A model fitting its own targets: the validation loss falls epoch after epoch, so epoch 3 is the best. A NaN
        // put into a weight after epoch 3 (after its state was captured) is found by the check after the last step,
        // and epoch 3's state is put back. With an ∞ put into a BatchNorm running variance after epoch 2 (hidden), the
        // validation outputs stay finite ((x − μ)/√∞ = 0 in inference mode) and epoch 3's captured state holds the ∞:
        // then nothing is put back.
        var random = new RandomSource(25);
        var bn = new BatchNorm(8);
        var model = new Sequential(new Dense(2, 8, random), bn, new ReLU(), new Dense(8, 1, random));
        var x = new Matrix(16, 2);
        random.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(16, 1);
        for (int i = 0; i < 16; i++)
        {
            y[i, 0] = x[i, 0] - x[i, 1];
        }

        var validationLosses = new List<float>();
        Action fit = () => model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.05f), new FitOptions
        {
            Epochs = 3,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = x,
            ValidationTargets = y,
            EarlyStoppingPatience = 5,
        }, p =>
        {
            validationLosses.Add(p.ValidationLoss);
            if (p.Epoch == 2 && hidden)
            {
                System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bn.RunningVariance), 8)[0] = float.PositiveInfinity;
            }

            if (p.Epoch == 3)
            {
                model.Parameters[0].Value.Span[0] = float.NaN;
            }
        });

        FitDivergenceException e = fit.Should().Throw<FitDivergenceException>().Which;
        e.Message.Should().Contain("at epoch 3, step 12: parameter Dense(2→8).weights[0] became NaN in the last step");
        validationLosses.Should().BeInDescendingOrder("each epoch is a new best");
        if (hidden)
        {
            e.RestoredBestEpoch.Should().Be(0, "epoch 3's state holds the ∞");
            float.IsNaN(model.Parameters[0].Value.Span[0]).Should().BeTrue("nothing was put back");
        }
        else
        {
            e.RestoredBestEpoch.Should().Be(3);
            model.Parameters.SelectMany(q => q.Value.Span.ToArray()).Should().OnlyContain(v => float.IsFinite(v));
        }
    }

    [Fact]
    public void Early_stopping_restores_BatchNorm_running_statistics_too()
    {
        var random = new RandomSource(26);
        var model = new Sequential(new Dense(2, 4, random), new BatchNorm(4, momentum: 0.5f), new Dense(4, 1, random));
        var x = new Matrix(16, 2);
        random.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(16, 1);
        var vy = new Matrix(16, 1);
        for (int i = 0; i < 16; i++)
        {
            y[i, 0] = (3 * x[i, 0]) + 2f;
            vy[i, 0] = -y[i, 0];
        }

        var bn = (BatchNorm)model.Layers[1];
        float[]? mean = null;
        float[]? last = null;
        FitResult result = model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.05f), new FitOptions
        {
            Epochs = 30,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = x,
            ValidationTargets = vy,
            EarlyStoppingPatience = 2,
        }, p =>
        {
            if (p.Epoch == ExpectedBestEpoch)
            {
                mean = bn.RunningMean.ToArray();
            }

            last = bn.RunningMean.ToArray();
        });

        result.BestEpoch.Should().Be(ExpectedBestEpoch);
        result.RestoredBestWeights.Should().BeTrue();
        last.Should().NotEqual(mean, "the running mean moved after the best epoch");
        bn.RunningMean.ToArray().Should().Equal(mean);
    }

    /// <summary>The validation loss of this diverging problem is lowest after the first epoch.</summary>
    private const int ExpectedBestEpoch = 1;

    [Fact]
    public void Fit_follows_the_optimizers_learning_rate_schedule()
    {
        (Sequential scheduled, Matrix x, Matrix y, _) = Diverging();
        (Sequential manual, _, _, _) = Diverging();
        var schedule = new LinearDecaySchedule(steps: 6, finalFraction: 0.1f);
        var sgd = new Sgd(scheduled.Parameters, 0.1f) { Schedule = schedule };
        scheduled.Fit(x, y, new MeanSquaredError(), sgd, new FitOptions { Epochs = 3, BatchSize = 4, Shuffle = false });

        // The same batches by hand, with a constant-schedule optimizer whose rate is set before every step.
        var plain = new Sgd(manual.Parameters, 0.1f);
        var gradient = new Matrix(4, 1);
        var mse = new MeanSquaredError();
        long step = 0;
        for (int epoch = 0; epoch < 3; epoch++)
        {
            for (int start = 0; start < 16; start += 4)
            {
                plain.LearningRate = 0.1f * schedule.Factor(step++);
                manual.ZeroGradients();
                mse.Compute(manual.Forward(x.Slice(start, 0, 4, 2)), y.Slice(start, 0, 4, 1), gradient);
                manual.BackwardParameters(gradient);
                plain.Step();
            }
        }

        scheduled.Parameters.SelectMany(p => p.Value.Span.ToArray()).Should().Equal(manual.Parameters.SelectMany(p => p.Value.Span.ToArray()));

        (Sequential constant, _, _, _) = Diverging();
        constant.Fit(x, y, new MeanSquaredError(), new Sgd(constant.Parameters, 0.1f), new FitOptions { Epochs = 3, BatchSize = 4, Shuffle = false });
        constant.Parameters.SelectMany(p => p.Value.Span.ToArray()).Should().NotEqual(manual.Parameters.SelectMany(p => p.Value.Span.ToArray()), "the schedule changes the result");
    }

    [Fact]
    public void Bad_validation_and_early_stopping_options_are_named()
    {
        var random = new RandomSource(27);
        (Matrix x, Matrix y) = Blobs(5, random);
        Sequential model = Classifier(random);
        var sce = new SoftmaxCrossEntropy();
        var sgd = new Sgd(model.Parameters, 0.01f);
        Action Run(FitOptions o, Matrix? targets = null) => () => model.Fit(x, targets ?? y, sce, sgd, o);

        Run(new FitOptions { Shuffle = false, ValidationInputs = x }).Should().Throw<ArgumentException>().WithMessage("*both ValidationInputs and ValidationTargets*");
        Run(new FitOptions { Shuffle = false, ValidationInputs = new Matrix(3, 5), ValidationTargets = new Matrix(3, 1) }).Should().Throw<ArgumentException>().WithMessage("*validation inputs are 3×5*width 2*");
        Run(new FitOptions { Shuffle = false, ValidationInputs = x, ValidationTargets = new Matrix(15, 2) }).Should().Throw<ArgumentException>().WithMessage("*validation targets are 15×2*15×1 (class indices) or 15×3 (one-hot rows)*");
        var nan = new Matrix(15, 2);
        nan[4, 1] = float.NaN;
        Run(new FitOptions { Shuffle = false, ValidationInputs = nan, ValidationTargets = y }).Should().Throw<ArgumentException>().WithMessage("*validation inputs[4, 1] is NaN*");
        Run(new FitOptions { Shuffle = false, EarlyStoppingPatience = 2 }).Should().Throw<ArgumentException>().WithMessage("*early stopping*needs ValidationInputs*");
        Run(new FitOptions { Shuffle = false, EarlyStoppingPatience = -1, ValidationInputs = x, ValidationTargets = y }).Should().Throw<ArgumentException>().WithMessage("*EarlyStoppingPatience is -1*");
        Run(new FitOptions { Shuffle = false, EarlyStoppingMinDelta = float.NaN, ValidationInputs = x, ValidationTargets = y }).Should().Throw<ArgumentException>().WithMessage("*EarlyStoppingMinDelta is NaN*");
        Run(new FitOptions { Shuffle = false, BatchSize = 7 }).Should().Throw<ArgumentException>().WithMessage("*15 rows and BatchSize 7*batch of 1 row*BatchNorm*");
        var badClass = new Matrix(15, 1);
        badClass[9, 0] = 3f;
        Run(new FitOptions { Shuffle = false }, badClass).Should().Throw<ArgumentException>().WithMessage("*targets[*, 0] is 3*0..2*");
    }
}

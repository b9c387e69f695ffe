using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Models;

/// <summary>Small networks learn real functions with a fixed seed, and training is reproducible bit for bit.</summary>
public class TrainingTests
{
    internal static (Matrix X, Matrix Y) SineData(int points)
    {
        var x = new Matrix(points, 1);
        var y = new Matrix(points, 1);
        for (int i = 0; i < points; i++)
        {
            double v = -Math.PI + (2 * Math.PI * i / (points - 1));
            x[i, 0] = (float)v;
            y[i, 0] = (float)Math.Sin(v);
        }

        return (x, y);
    }

    internal static Sequential SineModel(RandomSource random) =>
        new(new Dense(1, 32, random), new Tanh(), new Dense(32, 32, random), new Tanh(), new Dense(32, 1, random));

    [Fact]
    public void A_1_32_32_1_tanh_network_fits_sine_on_minus_pi_to_pi()
    {
        var random = new RandomSource(2024);
        Sequential model = SineModel(random);
        (Matrix x, Matrix y) = SineData(256);
        var adam = new Adam(model.Parameters, learningRate: 3e-3f);
        var loss = new MeanSquaredError();
        float before = loss.Compute(model.Forward(x), y);

        FitResult result = model.Fit(x, y, loss, adam, new FitOptions { Epochs = 300, BatchSize = 32, Random = random });

        float after = loss.Compute(model.Forward(x), y);
        before.Should().BeGreaterThan(0.05f);
        after.Should().BeLessThan(1e-3f, "the network must actually fit sin(x)");
        result.Steps.Should().Be(300 * 8);
        result.EpochLosses.Should().HaveCount(300);
        result.FinalLoss.Should().BeLessThan(result.EpochLosses[0] / 50);

        // Points between the training points, too.
        var probe = Matrix.FromRows(3, 1, [-2.5f, 0.3f, 1.7f]);
        Matrix p = model.Forward(probe);
        for (int i = 0; i < 3; i++)
        {
            ((double)p[i, 0]).Should().BeApproximately(Math.Sin(probe[i, 0]), 0.05);
        }
    }

    [Fact]
    public void A_2_16_1_network_learns_XOR_with_BCE_from_logits()
    {
        var random = new RandomSource(7);
        var model = new Sequential(new Dense(2, 16, random), new Tanh(), new Dense(16, 1, random));
        var x = Matrix.FromRows(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
        var y = Matrix.FromRows(4, 1, [0, 1, 1, 0]);
        var loss = new BinaryCrossEntropyWithLogits();
        var adam = new Adam(model.Parameters, learningRate: 0.05f);

        FitResult result = model.Fit(x, y, loss, adam, new FitOptions { Epochs = 300, BatchSize = 4, Shuffle = false });

        result.FinalLoss.Should().BeLessThan(0.05f);
        Matrix logits = model.Forward(x);
        for (int i = 0; i < 4; i++)
        {
            double probability = 1 / (1 + Math.Exp(-logits[i, 0]));
            probability.Should().BeApproximately(y[i, 0], 0.1, "XOR({0}, {1})", x[i, 0], x[i, 1]);
        }
    }

    [Fact]
    public void Same_seed_gives_bitwise_identical_weights_after_training()
    {
        static float[][] Train(ulong seed)
        {
            var random = new RandomSource(seed);
            var model = new Sequential(new Dense(1, 16, random), new LeakyReLU(0.1f), new Dense(16, 8, random), new Sigmoid(), new Dense(8, 1, random));
            (Matrix x, Matrix y) = SineData(100);
            var adam = new Adam(model.Parameters, 1e-2f, weightDecay: 1e-3f, decoupledWeightDecay: true);
            model.Fit(x, y, new MeanSquaredError(), adam, new FitOptions { Epochs = 20, BatchSize = 16, Random = random });
            var sgd = new Sgd(model.Parameters, 1e-2f, momentum: 0.9f, nesterov: true);
            model.Fit(x, y, new MeanSquaredError(), sgd, new FitOptions { Epochs = 5, BatchSize = 7, Random = random });
            return model.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        }

        float[][] a = Train(99);
        float[][] b = Train(99);
        float[][] c = Train(100);

        for (int i = 0; i < a.Length; i++)
        {
            a[i].Select(BitConverter.SingleToInt32Bits).Should().Equal(b[i].Select(BitConverter.SingleToInt32Bits));
        }

        a[0].Should().NotEqual(c[0], "a different seed gives a different network");
    }

    [Fact]
    public void Fit_reports_progress_after_each_epoch_and_honours_cancellation()
    {
        var random = new RandomSource(3);
        Sequential model = SineModel(random);
        (Matrix x, Matrix y) = SineData(64);
        var adam = new Adam(model.Parameters);
        var seen = new List<FitProgress>();
        using var cts = new CancellationTokenSource();

        Action act = () => model.Fit(x, y, new MeanSquaredError(), adam, new FitOptions { Epochs = 10, BatchSize = 16, Random = random }, p =>
        {
            seen.Add(p);
            if (p.Epoch == 3)
            {
                cts.Cancel();
            }
        }, cts.Token);

        act.Should().Throw<OperationCanceledException>();
        seen.Select(p => p.Epoch).Should().Equal(1, 2, 3);
        seen.Should().OnlyContain(p => p.Epochs == 10 && float.IsFinite(p.Loss));
        seen[^1].Steps.Should().Be(12);
        adam.StepCount.Should().Be(12, "training stops between batches, right after the callback that cancelled");
    }

    [Fact]
    public void Fit_handles_a_last_partial_batch()
    {
        var random = new RandomSource(4);
        var model = new Sequential(new Dense(1, 4, random), new Tanh(), new Dense(4, 1, random));
        (Matrix x, Matrix y) = SineData(10);

        FitResult result = model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new FitOptions { Epochs = 3, BatchSize = 4, Random = random });

        result.Steps.Should().Be(9, "10 rows in batches of 4 is 3 steps per epoch");
        result.EpochLosses.Should().OnlyContain(l => float.IsFinite(l));
    }

    [Fact]
    public void Fit_with_a_batch_larger_than_the_data_uses_one_batch()
    {
        var random = new RandomSource(5);
        var model = new Sequential(new Dense(1, 4, random), new Tanh(), new Dense(4, 1, random));
        (Matrix x, Matrix y) = SineData(10);

        FitResult result = model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new FitOptions { Epochs = 2, BatchSize = 1000, Shuffle = false });

        result.Steps.Should().Be(2);
    }
}

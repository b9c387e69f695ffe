using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Checkpoints;

/// <summary>Saving and loading keeps weights, optimizer state and generator state exactly; resumed training equals uninterrupted training.</summary>
public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gancore-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Every_layer_kind_and_every_weight_round_trips_bit_for_bit()
    {
        Sequential model = CheckpointTestData.EveryLayerKind(new RandomSource(3));
        string path = Path.Combine(_folder, "model.gck");

        ModelCheckpoint.Save(path, model);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);

        loaded.Model.Describe().Should().Be(model.Describe());
        loaded.Model.Layers.OfType<LeakyReLU>().Single().Slope.Should().Be(0.3f);
        CheckpointTestData.Bits(loaded.Model).Should().BeEquivalentTo(CheckpointTestData.Bits(model), o => o.WithStrictOrdering());
        loaded.Optimizer.Should().BeNull();
        loaded.RandomState.Should().BeNull();

        var x = Matrix.FromRows(2, 3, [0.1f, -0.2f, 0.3f, 1f, 2f, -3f]);
        loaded.Model.Forward(x).ToArray().Should().BeEquivalentTo(model.Forward(x).ToArray());
        ModelCheckpoint.LoadModel(path).Describe().Should().Be(model.Describe());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Optimizer_settings_moments_step_count_and_generator_state_round_trip(bool adam)
    {
        (Sequential model, Optimizer optimizer, RandomSource random) = CheckpointTestData.Trained(adam);
        string path = Path.Combine(_folder, "full.gck");
        RandomSourceState state = random.GetState();
        state.HasSpareGaussian.Should().BeTrue("the test wants the spare Gaussian in the saved state");

        ModelCheckpoint.Save(path, model, optimizer, random);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);

        loaded.RandomState.Should().Be(state);
        Optimizer o = loaded.Optimizer!;
        o.Should().NotBeNull();
        o.GetType().Should().Be(optimizer.GetType());
        o.Name.Should().Be(optimizer.Name);
        o.StepCount.Should().Be(optimizer.StepCount).And.BeGreaterThan(0);
        o.Parameters.Should().Equal(loaded.Model.Parameters);
        o.StateBuffers.Should().BeEquivalentTo(optimizer.StateBuffers, opt => opt.WithStrictOrdering());
        o.StateBuffers.SelectMany(b => b).Should().Contain(v => v != 0f, "the moments were saved after real steps");
        if (adam)
        {
            var a = (Adam)o;
            (a.Beta1, a.Beta2, a.Epsilon, a.WeightDecay, a.DecoupledWeightDecay).Should().Be((0.8f, 0.99f, 1e-7f, 0.001f, true));
        }
        else
        {
            var s = (Sgd)o;
            (s.LearningRate, s.Momentum, s.Nesterov, s.WeightDecay).Should().Be((0.05f, 0.9f, true, 0.01f));
        }

        new RandomSource(loaded.RandomState!.Value).NextGaussian().Should().Be(random.NextGaussian());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resumed_training_equals_uninterrupted_training_bit_for_bit(bool adam)
    {
        (Matrix x, Matrix y) = Data();

        // Uninterrupted: 8 epochs.
        (Sequential a, Optimizer aOptimizer, RandomSource aRandom) = Fresh(adam);
        a.Fit(x, y, new MeanSquaredError(), aOptimizer, new FitOptions { Epochs = 8, BatchSize = 5, Random = aRandom });

        // Interrupted: 3 epochs, save, load into new objects, 5 more epochs.
        (Sequential b, Optimizer bOptimizer, RandomSource bRandom) = Fresh(adam);
        b.Fit(x, y, new MeanSquaredError(), bOptimizer, new FitOptions { Epochs = 3, BatchSize = 5, Random = bRandom });
        string path = Path.Combine(_folder, "resume.gck");
        ModelCheckpoint.Save(path, b, bOptimizer, bRandom);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);
        var resumedRandom = new RandomSource(loaded.RandomState!.Value);
        loaded.Model.Fit(x, y, new MeanSquaredError(), loaded.Optimizer!, new FitOptions { Epochs = 5, BatchSize = 5, Random = resumedRandom });

        CheckpointTestData.Bits(loaded.Model).Should().BeEquivalentTo(CheckpointTestData.Bits(a), o => o.WithStrictOrdering());
        loaded.Optimizer!.StateBuffers.Should().BeEquivalentTo(aOptimizer.StateBuffers, o => o.WithStrictOrdering());
        loaded.Optimizer.StepCount.Should().Be(aOptimizer.StepCount);
        resumedRandom.GetState().Should().Be(aRandom.GetState());
    }

    [Fact]
    public void Saving_twice_replaces_the_file_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "twice.gck");
        ModelCheckpoint.Save(path, CheckpointTestData.EveryLayerKind(new RandomSource(1)));
        Sequential second = CheckpointTestData.EveryLayerKind(new RandomSource(2));

        ModelCheckpoint.Save(path, second);

        CheckpointTestData.Bits(ModelCheckpoint.LoadModel(path)).Should().BeEquivalentTo(CheckpointTestData.Bits(second), o => o.WithStrictOrdering());
        Directory.GetFiles(_folder).Should().Equal(path);
    }

    [Fact]
    public void The_file_starts_with_the_documented_header()
    {
        byte[] file = CheckpointTestData.Bytes();
        file.AsSpan(0, 8).ToArray().Should().Equal("GANCKPT\x1A"u8.ToArray());
        BitConverter.ToUInt16(file, 8).Should().Be(2);
        BitConverter.ToUInt16(file, 10).Should().Be(0);
        BitConverter.ToUInt32(file, 12).Should().Be(4);
        CheckpointFile.Parse(file, "t").Keys.Should().BeEquivalentTo("model/architecture", "model/parameters", "model/optimizer", "random");
    }

    [Fact]
    public void Dense_weights_are_stored_in_by_out_row_major()
    {
        var random = new RandomSource(5);
        var dense = new Dense(2, 3, random);
        float[] w = [1, 2, 3, 4, 5, 6];
        w.CopyTo(dense.Weights.Value.Span);
        byte[] file = ModelCheckpoint.Serialize(new Sequential(dense), null, null);
        ReadOnlyMemory<byte> parameters = CheckpointFile.Parse(file, "t")["model/parameters"].Payload;

        // i32 count = 2; weights: i32 rows = 2 (in), i32 columns = 3 (out), then W[0,0], W[0,1], W[0,2], W[1,0], ...
        int[] header = [.. Enumerable.Range(0, 3).Select(i => BitConverter.ToInt32(parameters.Span.Slice(i * 4, 4)))];
        header.Should().Equal(2, 2, 3);
        float[] stored = [.. Enumerable.Range(0, 6).Select(i => BitConverter.ToSingle(parameters.Span.Slice(12 + (i * 4), 4)))];
        stored.Should().Equal(1, 2, 3, 4, 5, 6);
        dense.Weights.Value[0, 2].Should().Be(3f, "row i of W holds the weights leaving input i");
    }

    [Fact]
    public void Saving_an_optimizer_of_another_model_is_rejected()
    {
        (Sequential model, _, _) = CheckpointTestData.Trained();
        (_, Optimizer other, _) = CheckpointTestData.Trained(seed: 2);

        Action act = () => ModelCheckpoint.Save(Path.Combine(_folder, "x.gck"), model, other);

        act.Should().Throw<ArgumentException>().WithParameterName("optimizer");
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Loading_a_missing_file_is_an_IOException()
    {
        Action act = () => ModelCheckpoint.Load(Path.Combine(_folder, "missing.gck"));
        act.Should().Throw<FileNotFoundException>();
    }

    private static (Matrix X, Matrix Y) Data()
    {
        var random = new RandomSource(77);
        var x = new Matrix(23, 2);
        random.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(23, 1);
        for (int i = 0; i < 23; i++)
        {
            y[i, 0] = x[i, 0] * x[i, 1];
        }

        return (x, y);
    }

    private static (Sequential Model, Optimizer Optimizer, RandomSource Random) Fresh(bool adam)
    {
        var random = new RandomSource(4);
        var model = new Sequential(new Dense(2, 8, random), new LeakyReLU(0.1f), new Dense(8, 1, random));
        Optimizer optimizer = adam ? new Adam(model.Parameters, 0.01f) : new Sgd(model.Parameters, 0.05f, momentum: 0.5f);
        return (model, optimizer, random);
    }
}

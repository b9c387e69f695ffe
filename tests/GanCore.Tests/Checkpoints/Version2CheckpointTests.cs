using System.Buffers.Binary;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Checkpoints;

/// <summary>Format version 2: Softmax, Dropout, BatchNorm and LayerNorm round-trip, with BatchNorm's running statistics and Dropout's generator state.</summary>
public sealed class Version2CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gancore-ckpt2-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static float[] Flat(Matrix m) => m.Span.ToArray();

    [Fact]
    public void Every_new_layer_round_trips_with_its_settings_weights_and_state()
    {
        (Sequential model, Optimizer optimizer, RandomSource random) = CheckpointTestData.TrainedVersion2();
        BatchNorm bn = model.Layers.OfType<BatchNorm>().Single();
        bn.RunningMean.ToArray().Should().Contain(v => v != 0f, "training moved the running mean");
        string path = Path.Combine(_folder, "v2.gck");

        ModelCheckpoint.Save(path, model, optimizer, random);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)).Should().Be(2);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);
        Sequential m = loaded.Model;

        m.Describe().Should().Be(model.Describe());
        CheckpointTestData.Bits(m).Should().BeEquivalentTo(CheckpointTestData.Bits(model), o => o.WithStrictOrdering());
        BatchNorm lbn = m.Layers.OfType<BatchNorm>().Single();
        (lbn.Momentum, lbn.Epsilon).Should().Be((0.2f, 1e-4f));
        lbn.RunningMean.ToArray().Should().Equal(bn.RunningMean.ToArray());
        lbn.RunningVariance.ToArray().Should().Equal(bn.RunningVariance.ToArray());
        m.Layers.OfType<LayerNorm>().Single().Epsilon.Should().Be(1e-3f);
        Dropout dropout = m.Layers.OfType<Dropout>().Single();
        dropout.Rate.Should().Be(0.25f);
        dropout.Random.GetState().Should().Be(model.Layers.OfType<Dropout>().Single().Random.GetState());
        loaded.Optimizer!.StateBuffers.Should().BeEquivalentTo(optimizer.StateBuffers, o => o.WithStrictOrdering());

        (Matrix x, _) = CheckpointTestData.Version2Data();
        model.IsTraining = false;
        m.IsTraining = false;
        Flat(m.Forward(x)).Should().Equal(Flat(model.Forward(x)), "inference uses the saved running statistics");
        model.IsTraining = true;
        m.IsTraining = true;
        Flat(m.Forward(x)).Should().Equal(Flat(model.Forward(x)), "training mode draws the same dropout mask from the saved generator state");
    }

    [Fact]
    public void Training_resumed_from_a_checkpoint_equals_uninterrupted_training()
    {
        (Sequential straight, _, _) = CheckpointTestData.TrainedVersion2(epochs: 4);

        (Sequential model, Optimizer optimizer, RandomSource random) = CheckpointTestData.TrainedVersion2(epochs: 2);
        string path = Path.Combine(_folder, "resume.gck");
        ModelCheckpoint.Save(path, model, optimizer, random);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);
        (Matrix x, Matrix y) = CheckpointTestData.Version2Data();
        loaded.Model.Fit(x, y, new MeanSquaredError(), loaded.Optimizer!, new FitOptions { Epochs = 2, BatchSize = 4, Random = new RandomSource(loaded.RandomState!.Value) });

        CheckpointTestData.Bits(loaded.Model).Should().BeEquivalentTo(CheckpointTestData.Bits(straight), o => o.WithStrictOrdering());
        loaded.Model.Layers.OfType<BatchNorm>().Single().RunningVariance.ToArray()
            .Should().Equal(straight.Layers.OfType<BatchNorm>().Single().RunningVariance.ToArray());
    }

    [Fact]
    public void A_model_without_stateful_layers_writes_no_state_section()
    {
        CheckpointFile.Parse(CheckpointTestData.Bytes(), "t").Keys.Should().NotContain(ModelCheckpoint.StateSection);
        var model = new Sequential(new Dense(2, 3, new RandomSource(1)), new LayerNorm(3), new Softmax());
        CheckpointFile.Parse(ModelCheckpoint.Serialize(model, null, null), "t").Keys.Should().BeEquivalentTo(ModelCheckpoint.ArchitectureSection, ModelCheckpoint.ParametersSection);
    }

    [Fact]
    public void A_missing_state_section_is_named()
    {
        (Sequential model, _, _) = CheckpointTestData.TrainedVersion2(epochs: 1);
        byte[] file = CheckpointTestData.WithSections(ModelCheckpoint.Serialize(model, null, null), s => s.Where(x => x.Name != ModelCheckpoint.StateSection));

        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage("*'model/state' is missing*2 layer(s)*");
    }

    [Fact]
    public void A_state_section_of_the_wrong_size_is_rejected_before_reading()
    {
        (Sequential model, _, _) = CheckpointTestData.TrainedVersion2(epochs: 1);
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), ModelCheckpoint.StateSection, p => p[..^4]);

        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage("*implies 101 bytes of layer state but the section holds 97*");
    }

    [Theory]
    [InlineData(8, -1f, "*running variance holds -1*")]
    [InlineData(8, float.NaN, "*running mean[0] is NaN*")]
    [InlineData(4, 0f, "*stateful layer 0's index is 0; it must be in [1, 1]*")]
    public void A_bad_state_value_is_named(int offset, float value, string message)
    {
        (Sequential model, _, _) = CheckpointTestData.TrainedVersion2(epochs: 1);
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), ModelCheckpoint.StateSection, p =>
        {
            if (value == -1f)
            {
                offset = 8 + (6 * 4); // the first running variance
            }

            return offset == 4 ? CheckpointTestData.PutInt32(p, 4, 0) : CheckpointTestData.PutSingle(p, offset, value);
        });

        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage(message).Which.Section.Should().Be(ModelCheckpoint.StateSection);
    }

    [Theory]
    [InlineData("Dropout", 1.5f, "*Dropout rate is 1.5*")]
    [InlineData("BatchNorm", 2f, "*BatchNorm momentum is 2*")]
    public void A_bad_layer_setting_is_named(string kind, float value, string message)
    {
        (Sequential model, _, _) = CheckpointTestData.TrainedVersion2(epochs: 1);

        // Architecture: i32 count; Dense (1+8); BatchNorm (1 + i32 + f32 momentum + f32 eps); ReLU (1); Dropout (1 + f32 rate).
        int at = kind == "BatchNorm" ? 4 + 9 + 1 + 4 : 4 + 9 + 13 + 1 + 1;
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), ModelCheckpoint.ArchitectureSection, p => CheckpointTestData.PutSingle(p, at, value));

        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage(message);
    }
}

using System.Buffers.Binary;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Checkpoints;

/// <summary>Small models and checkpoint bytes shared by the checkpoint tests.</summary>
internal static class CheckpointTestData
{
    /// <summary>A model with every layer kind the format knows.</summary>
    public static Sequential EveryLayerKind(RandomSource random) => new(
        new Dense(3, 4, random), new ReLU(),
        new Dense(4, 4, random), new LeakyReLU(0.3f),
        new Dense(4, 3, random), new Sigmoid(),
        new Dense(3, 2, random), new Tanh(),
        new Identity(),
        new Dense(2, 1, random));

    /// <summary>A model with every layer kind of format version 2 (and Dense around them); the Dropout has its own generator.</summary>
    public static Sequential EveryVersion2LayerKind(RandomSource random, ulong dropoutSeed = 77) => new(
        new Dense(3, 6, random), new BatchNorm(6, momentum: 0.2f, epsilon: 1e-4f), new ReLU(),
        new Dropout(0.25f, new RandomSource(dropoutSeed)),
        new Dense(6, 5, random), new LayerNorm(5, epsilon: 1e-3f), new Tanh(),
        new Dense(5, 3, random), new Softmax());

    /// <summary>Trains <see cref="EveryVersion2LayerKind"/> a few epochs so γ, β and the running statistics move.</summary>
    public static (Sequential Model, Optimizer Optimizer, RandomSource Random) TrainedVersion2(int epochs = 3) =>
        TrainedWithAdam(r => EveryVersion2LayerKind(r), seed: 5, Version2Data(), epochs);

    /// <summary>
    /// Builds a model with a generator seeded <paramref name="seed"/> and fits it to <paramref name="data"/> with
    /// Adam (learning rate 0.01), MSE and batches of 4 drawn by the same generator, for <paramref name="epochs"/> epochs.
    /// </summary>
    public static (Sequential Model, Optimizer Optimizer, RandomSource Random) TrainedWithAdam(Func<RandomSource, Sequential> build, ulong seed, (Matrix Inputs, Matrix Targets) data, int epochs)
    {
        var random = new RandomSource(seed);
        Sequential model = build(random);
        var optimizer = new Adam(model.Parameters, 0.01f);
        model.Fit(data.Inputs, data.Targets, new MeanSquaredError(), optimizer, new FitOptions { Epochs = epochs, BatchSize = 4, Random = random });
        return (model, optimizer, random);
    }

    public static (Matrix Inputs, Matrix Targets) Version2Data()
    {
        var data = new RandomSource(6);
        var x = new Matrix(10, 3);
        data.FillUniform(x.Span, -2f, 2f);
        var y = new Matrix(10, 3);
        for (int i = 0; i < 10; i++)
        {
            y[i, i % 3] = 1f;
        }

        return (x, y);
    }

    /// <summary>A tiny model, trained a few steps, with its optimizer and a generator that holds a spare Gaussian.</summary>
    public static (Sequential Model, Optimizer Optimizer, RandomSource Random) Trained(bool adam = true, ulong seed = 1)
    {
        var random = new RandomSource(seed);
        var model = new Sequential(new Dense(2, 3, random), new Tanh(), new Dense(3, 1, random));
        Optimizer optimizer = adam
            ? new Adam(model.Parameters, 0.01f, 0.8f, 0.99f, 1e-7f, 0.001f, decoupledWeightDecay: true)
            : new Sgd(model.Parameters, 0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f);
        var x = Matrix.FromRows(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
        var y = Matrix.FromRows(4, 1, [0, 1, 1, 0]);
        model.Fit(x, y, new MeanSquaredError(), optimizer, new FitOptions { Epochs = 3, BatchSize = 2, Random = random });
        random.NextGaussian(); // leaves a spare Gaussian in the state
        return (model, optimizer, random);
    }

    public static byte[] Bytes(bool withOptimizer = true, bool withRandom = true, bool adam = true)
    {
        (Sequential model, Optimizer optimizer, RandomSource random) = Trained(adam);
        return ModelCheckpoint.Serialize(model, withOptimizer ? optimizer : null, withRandom ? random : null);
    }

    /// <summary>Rebuilds a checkpoint with one section's payload changed (CRCs recomputed, so only the content is wrong).</summary>
    public static byte[] WithPayload(byte[] file, string section, Func<byte[], byte[]> change)
    {
        Dictionary<string, CheckpointFile.Section> sections = CheckpointFile.Parse(file, "original");
        var list = new List<(string, byte[])>();
        foreach (CheckpointFile.Section s in sections.Values.OrderBy(s => s.PayloadOffset))
        {
            byte[] payload = s.Payload.ToArray();
            list.Add((s.Name, s.Name == section ? change(payload) : payload));
        }

        return CheckpointFile.Build(list);
    }

    /// <summary>Rebuilds a checkpoint from chosen sections (CRCs recomputed).</summary>
    public static byte[] WithSections(byte[] file, Func<IReadOnlyList<(string Name, byte[] Payload)>, IEnumerable<(string Name, byte[] Payload)>> change)
    {
        Dictionary<string, CheckpointFile.Section> sections = CheckpointFile.Parse(file, "original");
        List<(string, byte[])> list = sections.Values.OrderBy(s => s.PayloadOffset).Select(s => (s.Name, s.Payload.ToArray())).ToList();
        return CheckpointFile.Build(change(list).ToList());
    }

    public static byte[] PutInt32(byte[] payload, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(offset), value);
        return payload;
    }

    public static byte[] PutInt64(byte[] payload, int offset, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(offset), value);
        return payload;
    }

    public static byte[] PutSingle(byte[] payload, int offset, float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(offset), value);
        return payload;
    }

    /// <summary>The byte offset of the first section's u64 payload length in the file.</summary>
    public static int FirstPayloadLengthOffset(byte[] file) =>
        CheckpointFile.HeaderLength + 2 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(CheckpointFile.HeaderLength));

    public static float[][] Values(Sequential model) => model.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();

    public static int[][] Bits(Sequential model) => model.Parameters.Select(p => p.Value.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray();
}

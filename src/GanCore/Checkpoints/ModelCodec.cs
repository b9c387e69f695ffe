using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Checkpoints;

/// <summary>
/// The payloads of the model, optimizer and RNG sections, shared by model and GAN checkpoints.
/// Layouts are in docs/checkpoint-format.md.
/// </summary>
internal static class ModelCodec
{
    /// <summary>The largest layer width a checkpoint may declare.</summary>
    public const int MaxWidth = 1 << 20;

    /// <summary>The most layers a checkpoint may declare.</summary>
    public const int MaxLayers = 4096;

    private enum LayerKind : byte
    {
        Dense = 1,
        ReLU = 2,
        LeakyReLU = 3,
        Sigmoid = 4,
        Tanh = 5,
        Identity = 6,
    }

    public static byte[] WriteArchitecture(Sequential model)
    {
        var w = new PayloadWriter();
        w.Write(model.Layers.Count);
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Dense d:
                    w.Write((byte)LayerKind.Dense);
                    w.Write(d.InputSize);
                    w.Write(d.OutputSize);
                    break;
                case LeakyReLU l:
                    w.Write((byte)LayerKind.LeakyReLU);
                    w.Write(l.Slope);
                    break;
                case ReLU:
                    w.Write((byte)LayerKind.ReLU);
                    break;
                case Sigmoid:
                    w.Write((byte)LayerKind.Sigmoid);
                    break;
                case Tanh:
                    w.Write((byte)LayerKind.Tanh);
                    break;
                case Identity:
                    w.Write((byte)LayerKind.Identity);
                    break;
                default:
                    throw new NotSupportedException($"Layer {layer.Name} ({layer.GetType().Name}) cannot be written to a checkpoint.");
            }
        }

        return w.ToArray();
    }

    public static byte[] WriteParameters(Sequential model)
    {
        var w = new PayloadWriter();
        w.Write(model.Parameters.Count);
        foreach (Parameter p in model.Parameters)
        {
            w.Write(p.Value.Rows);
            w.Write(p.Value.Columns);
            w.Write(p.Value.Span);
        }

        return w.ToArray();
    }

    /// <summary>Rebuilds a model from its architecture and parameter sections, validating sizes before allocating.</summary>
    public static Sequential ReadModel(CheckpointFile.Section architecture, CheckpointFile.Section parameters)
    {
        PayloadReader a = architecture.Reader();
        int layerCount = a.ReadInt32(1, Math.Min(MaxLayers, a.Remaining), "the layer count");
        var specs = new List<(LayerKind Kind, int In, int Out, float Slope)>(layerCount);
        long parameterBytes = 4;
        for (int i = 0; i < layerCount; i++)
        {
            long at = a.Offset;
            var kind = (LayerKind)a.ReadByte();
            switch (kind)
            {
                case LayerKind.Dense:
                    int inputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s input width");
                    int outputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s output width");
                    parameterBytes += 8 + ((long)inputs * outputs * 4) + 8 + ((long)outputs * 4);
                    specs.Add((kind, inputs, outputs, 0f));
                    break;
                case LayerKind.LeakyReLU:
                    long slopeAt = a.Offset;
                    float slope = a.ReadSingle();
                    if (!(slope >= 0f && slope < 1f))
                    {
                        throw new CheckpointException(architecture.Source, slopeAt, architecture.Name, $"layer {i}'s LeakyReLU slope is {slope}; it must be in [0, 1)");
                    }

                    specs.Add((kind, 0, 0, slope));
                    break;
                case LayerKind.ReLU or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.Identity:
                    specs.Add((kind, 0, 0, 0f));
                    break;
                default:
                    throw new CheckpointException(architecture.Source, at, architecture.Name, $"layer {i} has unknown kind {(byte)kind}");
            }
        }

        a.ExpectEnd();

        // The parameter section must hold exactly what the architecture implies: check before allocating anything.
        if (parameterBytes != parameters.Payload.Length)
        {
            throw new CheckpointException(parameters.Source, parameters.PayloadOffset, parameters.Name, $"the architecture implies {parameterBytes} bytes of parameters but the section holds {parameters.Payload.Length}");
        }

        var layers = new List<Layer>(layerCount);
        foreach ((LayerKind kind, int inputs, int outputs, float slope) in specs)
        {
            layers.Add(kind switch
            {
                LayerKind.Dense => new Dense(inputs, outputs),
                LayerKind.LeakyReLU => new LeakyReLU(slope),
                LayerKind.ReLU => new ReLU(),
                LayerKind.Sigmoid => new Sigmoid(),
                LayerKind.Tanh => new Tanh(),
                _ => new Identity(),
            });
        }

        Sequential model;
        try
        {
            model = new Sequential(layers);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{architecture.Source}: section '{architecture.Name}' describes an invalid model: {e.Message}", e);
        }

        PayloadReader p = parameters.Reader();
        p.ReadInt32(model.Parameters.Count, model.Parameters.Count, "the parameter count");
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            Parameter parameter = model.Parameters[i];
            p.ReadInt32(parameter.Value.Rows, parameter.Value.Rows, $"parameter {i}'s row count");
            p.ReadInt32(parameter.Value.Columns, parameter.Value.Columns, $"parameter {i}'s column count");
            p.ReadFiniteSingles(parameter.Value.Span, $"parameter {i} ({parameter.Name})");
        }

        p.ExpectEnd();
        return model;
    }

    public static byte[] WriteOptimizer(Optimizer optimizer)
    {
        var w = new PayloadWriter();
        w.Write((byte)optimizer.Kind);
        w.Write(optimizer.LearningRate);
        switch (optimizer)
        {
            case Sgd s:
                w.Write(s.Momentum);
                w.Write((byte)(s.Nesterov ? 1 : 0));
                w.Write(s.WeightDecay);
                break;
            case Adam adam:
                w.Write(adam.Beta1);
                w.Write(adam.Beta2);
                w.Write(adam.Epsilon);
                w.Write(adam.WeightDecay);
                w.Write((byte)(adam.DecoupledWeightDecay ? 1 : 0));
                break;
            default:
                throw new NotSupportedException($"Optimizer {optimizer.Name} cannot be written to a checkpoint.");
        }

        w.Write(optimizer.StepCount);
        IReadOnlyList<float[]> buffers = optimizer.StateBuffers;
        w.Write(buffers.Count);
        foreach (float[] buffer in buffers)
        {
            w.Write(buffer.Length);
            w.Write(buffer);
        }

        return w.ToArray();
    }

    /// <summary>Recreates an optimizer over <paramref name="model"/>'s parameters with its saved settings and state.</summary>
    public static Optimizer ReadOptimizer(CheckpointFile.Section section, Sequential model)
    {
        PayloadReader r = section.Reader();
        long at = r.Offset;
        byte kind = r.ReadByte();
        float learningRate = r.ReadSingle();
        Optimizer optimizer;
        try
        {
            switch ((OptimizerKind)kind)
            {
                case OptimizerKind.Sgd:
                    float momentum = r.ReadSingle();
                    bool nesterov = r.ReadByte() != 0;
                    float decay = r.ReadSingle();
                    optimizer = new Sgd(model.Parameters, learningRate, momentum, nesterov, decay);
                    break;
                case OptimizerKind.Adam:
                    float beta1 = r.ReadSingle();
                    float beta2 = r.ReadSingle();
                    float epsilon = r.ReadSingle();
                    float weightDecay = r.ReadSingle();
                    bool decoupled = r.ReadByte() != 0;
                    optimizer = new Adam(model.Parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled);
                    break;
                default:
                    throw new CheckpointException(section.Source, at, section.Name, $"unknown optimizer kind {kind}");
            }
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{section.Source}: section '{section.Name}' holds invalid optimizer settings: {e.Message}", e);
        }

        long stepAt = r.Offset;
        long steps = r.ReadInt64();
        if (steps < 0)
        {
            throw new CheckpointException(section.Source, stepAt, section.Name, $"the step count is {steps}; it must be ≥ 0");
        }

        optimizer.RestoreStepCount(steps);
        IReadOnlyList<float[]> buffers = optimizer.StateBuffers;
        r.ReadInt32(buffers.Count, buffers.Count, "the state buffer count");
        for (int i = 0; i < buffers.Count; i++)
        {
            r.ReadInt32(buffers[i].Length, buffers[i].Length, $"state buffer {i}'s length");
            r.ReadFiniteSingles(buffers[i], $"state buffer {i}");
        }

        r.ExpectEnd();
        return optimizer;
    }

    public static byte[] WriteRandom(RandomSourceState state)
    {
        var w = new PayloadWriter();
        w.Write(state.S0);
        w.Write(state.S1);
        w.Write(state.S2);
        w.Write(state.S3);
        w.Write((byte)(state.HasSpareGaussian ? 1 : 0));
        w.Write(state.SpareGaussian);
        return w.ToArray();
    }

    public static RandomSourceState ReadRandom(CheckpointFile.Section section)
    {
        PayloadReader r = section.Reader();
        var state = new RandomSourceState(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadByte() != 0, r.ReadDouble());
        r.ExpectEnd();
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0 || !double.IsFinite(state.SpareGaussian))
        {
            throw r.Error("the generator state is invalid (all-zero words or a non-finite spare Gaussian)");
        }

        return state;
    }

    /// <summary>Finds a required section or throws an error naming it.</summary>
    public static CheckpointFile.Section Require(Dictionary<string, CheckpointFile.Section> sections, string name, string source)
    {
        if (!sections.TryGetValue(name, out CheckpointFile.Section? section))
        {
            throw new CheckpointException(source, -1, name, $"the required section '{name}' is missing (sections present: {string.Join(", ", sections.Keys)})");
        }

        return section;
    }
}

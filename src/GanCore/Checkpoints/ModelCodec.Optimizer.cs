using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Checkpoints;

/// <summary>The optimizer, RNG and section-lookup payloads of <see cref="ModelCodec"/>.</summary>
internal static partial class ModelCodec
{
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
            case RmsProp rms:
                w.Write(rms.Alpha);
                w.Write(rms.Epsilon);
                w.Write(rms.WeightDecay);
                w.Write(rms.Momentum);
                w.Write((byte)(rms.Centered ? 1 : 0));
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
        if (kind == (byte)OptimizerKind.RmsProp && section.Version < 2)
        {
            throw new CheckpointException(section.Source, at, section.Name, $"optimizer kind {kind} (RMSprop), which version {section.Version} files do not have");
        }

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
                case OptimizerKind.RmsProp:
                    float alpha = r.ReadSingle();
                    float rmsEpsilon = r.ReadSingle();
                    float rmsDecay = r.ReadSingle();
                    float rmsMomentum = r.ReadSingle();
                    bool centered = r.ReadByte() != 0;
                    optimizer = new RmsProp(model.Parameters, learningRate, alpha, rmsEpsilon, rmsDecay, rmsMomentum, centered);
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

    /// <summary>The bytes of a saved generator state: four u64 words, a u8 flag and an f64.</summary>
    private const int RandomStateBytes = 41;

    public static byte[] WriteRandom(RandomSourceState state)
    {
        var w = new PayloadWriter();
        WriteRandomState(w, state);
        return w.ToArray();
    }

    public static RandomSourceState ReadRandom(CheckpointFile.Section section)
    {
        PayloadReader r = section.Reader();
        RandomSourceState state = ReadRandomState(r);
        r.ExpectEnd();
        return state;
    }

    private static void WriteRandomState(PayloadWriter w, RandomSourceState state)
    {
        w.Write(state.S0);
        w.Write(state.S1);
        w.Write(state.S2);
        w.Write(state.S3);
        w.Write((byte)(state.HasSpareGaussian ? 1 : 0));
        w.Write(state.SpareGaussian);
    }

    private static RandomSourceState ReadRandomState(PayloadReader r)
    {
        long at = r.Offset;
        var state = new RandomSourceState(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadByte() != 0, r.ReadDouble());
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0 || !double.IsFinite(state.SpareGaussian))
        {
            throw new CheckpointException(r.Source, at, r.SectionName, "the generator state is invalid (all-zero words or a non-finite spare Gaussian)");
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

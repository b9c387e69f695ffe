using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Checkpoints;

/// <summary>
/// The payloads of the model, optimizer and RNG sections, shared by model and GAN checkpoints.
/// Layouts are in docs/checkpoint-format.md.
/// </summary>
internal static partial class ModelCodec
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
        Softmax = 7,      // version 2 onwards
        Dropout = 8,
        BatchNorm = 9,
        LayerNorm = 10,
        SpectralNormDense = 11,
    }

    /// <summary>The first layer kind that needs format version 2.</summary>
    private const LayerKind FirstVersion2Kind = LayerKind.Softmax;

    /// <summary>How far the norm of a saved spectral-normalization vector u may be from 1.</summary>
    private const double UnitNormTolerance = 1e-3;

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
                case SpectralNormDense sn:
                    w.Write((byte)LayerKind.SpectralNormDense);
                    w.Write(sn.InputSize);
                    w.Write(sn.OutputSize);
                    w.Write(sn.PowerIterations);
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
                case Softmax:
                    w.Write((byte)LayerKind.Softmax);
                    break;
                case Dropout dropout:
                    w.Write((byte)LayerKind.Dropout);
                    w.Write(dropout.Rate);
                    break;
                case BatchNorm bn:
                    w.Write((byte)LayerKind.BatchNorm);
                    w.Write(bn.Features);
                    w.Write(bn.Momentum);
                    w.Write(bn.Epsilon);
                    break;
                case LayerNorm ln:
                    w.Write((byte)LayerKind.LayerNorm);
                    w.Write(ln.Features);
                    w.Write(ln.Epsilon);
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

    /// <summary>The name of the state section that goes with an architecture section ("model/architecture" → "model/state").</summary>
    public static string StateSectionFor(string architectureSection)
    {
        int slash = architectureSection.LastIndexOf('/');
        return slash < 0 ? "state" : architectureSection[..(slash + 1)] + "state";
    }

    /// <summary>Rebuilds a model from its architecture and parameter sections, validating sizes before allocating.</summary>
    public static Sequential ReadModel(CheckpointFile.Section architecture, CheckpointFile.Section parameters) => ReadModel(architecture, parameters, null);

    /// <summary>Rebuilds a model from its architecture, parameter and (when it has stateful layers) state sections, validating sizes before allocating.</summary>
    public static Sequential ReadModel(CheckpointFile.Section architecture, CheckpointFile.Section parameters, CheckpointFile.Section? state)
    {
        PayloadReader a = architecture.Reader();
        int layerCount = a.ReadInt32(1, Math.Min(MaxLayers, a.Remaining), "the layer count");
        var specs = new List<(LayerKind Kind, int In, int Out, float A, float B)>(layerCount);
        var powerIterations = new List<int>();
        long parameterBytes = 4;
        for (int i = 0; i < layerCount; i++)
        {
            long at = a.Offset;
            var kind = (LayerKind)a.ReadByte();
            if (kind >= FirstVersion2Kind && architecture.Version < 2)
            {
                throw new CheckpointException(architecture.Source, at, architecture.Name, $"layer {i} has kind {(byte)kind}, which version {architecture.Version} files do not have");
            }

            switch (kind)
            {
                case LayerKind.Dense:
                    int inputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s input width");
                    int outputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s output width");
                    parameterBytes += 8 + ((long)inputs * outputs * 4) + 8 + ((long)outputs * 4);
                    specs.Add((kind, inputs, outputs, 0f, 0f));
                    break;
                case LayerKind.SpectralNormDense:
                    int snInputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s input width");
                    int snOutputs = a.ReadInt32(1, MaxWidth, $"layer {i}'s output width");
                    powerIterations.Add(a.ReadInt32(1, SpectralNormDense.MaxPowerIterations, $"layer {i}'s power-iteration count"));
                    parameterBytes += 8 + ((long)snInputs * snOutputs * 4) + 8 + ((long)snOutputs * 4);
                    specs.Add((kind, snInputs, snOutputs, 0f, 0f));
                    break;
                case LayerKind.LeakyReLU:
                    long slopeAt = a.Offset;
                    float slope = a.ReadSingle();
                    if (!(slope >= 0f && slope < 1f))
                    {
                        throw new CheckpointException(architecture.Source, slopeAt, architecture.Name, $"layer {i}'s LeakyReLU slope is {slope}; it must be in [0, 1)");
                    }

                    specs.Add((kind, 0, 0, slope, 0f));
                    break;
                case LayerKind.ReLU or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.Identity or LayerKind.Softmax:
                    specs.Add((kind, 0, 0, 0f, 0f));
                    break;
                case LayerKind.Dropout:
                    long rateAt = a.Offset;
                    float rate = a.ReadSingle();
                    if (!(rate >= 0f && rate < 1f))
                    {
                        throw new CheckpointException(architecture.Source, rateAt, architecture.Name, $"layer {i}'s Dropout rate is {rate}; it must be in [0, 1)");
                    }

                    specs.Add((kind, 0, 0, rate, 0f));
                    break;
                case LayerKind.BatchNorm or LayerKind.LayerNorm:
                    int features = a.ReadInt32(1, MaxWidth, $"layer {i}'s feature count");
                    float momentum = 0f;
                    if (kind == LayerKind.BatchNorm)
                    {
                        long momentumAt = a.Offset;
                        momentum = a.ReadSingle();
                        if (!(momentum >= 0f && momentum <= 1f))
                        {
                            throw new CheckpointException(architecture.Source, momentumAt, architecture.Name, $"layer {i}'s BatchNorm momentum is {momentum}; it must be in [0, 1]");
                        }
                    }

                    long epsilonAt = a.Offset;
                    float epsilon = a.ReadSingle();
                    if (!(epsilon > 0f) || !float.IsFinite(epsilon))
                    {
                        throw new CheckpointException(architecture.Source, epsilonAt, architecture.Name, $"layer {i}'s epsilon is {epsilon}; it must be finite and > 0");
                    }

                    parameterBytes += 2 * (8 + ((long)features * 4));
                    specs.Add((kind, features, features, momentum, epsilon));
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

        // So must the state section (BatchNorm: two floats per feature; Dropout: a generator state; SpectralNormDense: u).
        long stateBytes = 4;
        int statefulCount = 0;
        foreach ((LayerKind kind, int features, int outputs, _, _) in specs)
        {
            if (kind == LayerKind.SpectralNormDense)
            {
                stateBytes += 4 + (4L * outputs);
                statefulCount++;
            }

            if (kind == LayerKind.BatchNorm)
            {
                stateBytes += 4 + (8L * features);
                statefulCount++;
            }
            else if (kind == LayerKind.Dropout)
            {
                stateBytes += 4 + RandomStateBytes;
                statefulCount++;
            }
        }

        if (statefulCount > 0)
        {
            if (state is null)
            {
                string name = StateSectionFor(architecture.Name);
                throw new CheckpointException(architecture.Source, -1, name, $"the required section '{name}' is missing: the architecture has {statefulCount} layer(s) with running statistics, a generator state or a power-iteration vector");
            }

            if (stateBytes != state.Payload.Length)
            {
                throw new CheckpointException(state.Source, state.PayloadOffset, state.Name, $"the architecture implies {stateBytes} bytes of layer state but the section holds {state.Payload.Length}");
            }
        }

        var layers = new List<Layer>(layerCount);
        int spectral = 0;
        try
        {
            foreach ((LayerKind kind, int inputs, int outputs, float first, float second) in specs)
            {
                layers.Add(kind switch
                {
                    LayerKind.Dense => new Dense(inputs, outputs),
                    LayerKind.SpectralNormDense => new SpectralNormDense(inputs, outputs, powerIterations[spectral++]),
                    LayerKind.LeakyReLU => new LeakyReLU(first),
                    LayerKind.ReLU => new ReLU(),
                    LayerKind.Sigmoid => new Sigmoid(),
                    LayerKind.Tanh => new Tanh(),
                    LayerKind.Softmax => new Softmax(),
                    LayerKind.Dropout => new Dropout(first, new RandomSource(0)),
                    LayerKind.BatchNorm => new BatchNorm(inputs, first, second),
                    LayerKind.LayerNorm => new LayerNorm(inputs, second),
                    _ => new Identity(),
                });
            }
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{architecture.Source}: section '{architecture.Name}' describes an invalid layer: {e.Message}", e);
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
        if (statefulCount > 0)
        {
            ReadState(state!, model, statefulCount);
        }

        return model;
    }
}

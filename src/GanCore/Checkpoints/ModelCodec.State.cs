using GanCore.Layers;
using GanCore.Models;

namespace GanCore.Checkpoints;

/// <summary>The <c>…/state</c> section: BatchNorm running statistics, Dropout generator states and SpectralNormDense's u.</summary>
internal static partial class ModelCodec
{
    /// <summary>
    /// The non-trainable state of a model (BatchNorm running statistics, Dropout generator states, the power-iteration
    /// vectors u of SpectralNormDense), or null when it has none. Saved in the <c>…/state</c> section (format version 2).
    /// </summary>
    public static byte[]? WriteState(Sequential model)
    {
        var stateful = new List<int>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            if (IsStateful(model.Layers[i]))
            {
                stateful.Add(i);
            }
        }

        if (stateful.Count == 0)
        {
            return null;
        }

        var w = new PayloadWriter();
        w.Write(stateful.Count);
        foreach (int i in stateful)
        {
            w.Write(i);
            switch (model.Layers[i])
            {
                case BatchNorm bn:
                    w.Write(bn.RunningMean);
                    w.Write(bn.RunningVariance);
                    break;
                case Dropout dropout:
                    WriteRandomState(w, dropout.Random.GetState());
                    break;
                case SpectralNormDense sn:
                    w.Write(sn.U);
                    break;
            }
        }

        return w.ToArray();
    }

    private static void ReadState(CheckpointFile.Section section, Sequential model, int statefulCount)
    {
        PayloadReader r = section.Reader();
        r.ReadInt32(statefulCount, statefulCount, "the stateful layer count");
        int previous = -1;
        for (int k = 0; k < statefulCount; k++)
        {
            // The k-th stateful layer in model order: the index must name exactly it.
            int expected = previous + 1;
            while (!IsStateful(model.Layers[expected]))
            {
                expected++;
            }

            r.ReadInt32(expected, expected, $"stateful layer {k}'s index");
            previous = expected;
            switch (model.Layers[expected])
            {
                case BatchNorm bn:
                    r.ReadFiniteSingles(bn.RunningMeanStorage, $"layer {expected}'s running mean");
                    long at = r.Offset;
                    r.ReadFiniteSingles(bn.RunningVarianceStorage, $"layer {expected}'s running variance");
                    foreach (float v in bn.RunningVariance)
                    {
                        if (v < 0f)
                        {
                            throw new CheckpointException(section.Source, at, section.Name, $"layer {expected}'s running variance holds {v}; a variance must be ≥ 0");
                        }
                    }

                    break;
                case Dropout dropout:
                    dropout.Random.SetState(ReadRandomState(r));
                    break;
                case SpectralNormDense sn:
                    long uAt = r.Offset;
                    r.ReadFiniteSingles(sn.UStorage, $"layer {expected}'s power-iteration vector u");
                    double squares = 0;
                    foreach (float e in sn.UStorage)
                    {
                        squares += (double)e * e;
                    }

                    if (!(Math.Abs(Math.Sqrt(squares) - 1) <= UnitNormTolerance))
                    {
                        throw new CheckpointException(section.Source, uAt, section.Name, $"layer {expected}'s power-iteration vector u has norm {Math.Sqrt(squares):G6}; it must be a unit vector (within {UnitNormTolerance})");
                    }

                    break;
            }
        }

        r.ExpectEnd();
    }

    /// <summary>Whether a layer has a part in the <c>…/state</c> section.</summary>
    private static bool IsStateful(Layer layer) => layer is BatchNorm or Dropout or SpectralNormDense;
}

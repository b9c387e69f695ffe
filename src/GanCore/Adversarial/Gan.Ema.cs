using GanCore.Checkpoints;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;

namespace GanCore.Adversarial;

/// <summary>
/// The generator's exponential moving average (Yazıcı et al. 2019), on when <see cref="GanOptions.GeneratorEmaDecay"/>
/// is above 0: a second copy of G whose weights follow G's with a lag, and which every <c>Generate</c> overload uses.
/// </summary>
/// <remarks>
/// <para>After generator update <c>s</c>, with t = s − start + 1 the number of updates averaged so far,
/// θ_ema ← β_t·θ_ema + (1 − β_t)·θ, where β_t = β·(1 − β^(t−1))/(1 − β^t). This is the bias-corrected average of
/// Adam's moments written as a running update: θ_ema equals Σ_{i≤t} β^(t−i)·θ_i / Σ_{i≤t} β^(t−i), a normalized
/// exponentially weighted mean of the weights after each update, with no weight left on the random initialization
/// (β_1 = 0 copies G). Before the start step β_t = 0, so the average is G itself.</para>
/// <para>BatchNorm layers of G: their running mean and variance are averaged with the same β_t as the weights, so the
/// statistics cover the same window of training as the averaged weights they normalize (copying G's statistics would
/// pair weights from the last ~1/(1 − β) updates with statistics of the last few only).</para>
/// </remarks>
public sealed partial class Gan
{
    // Written only when the average is on (so other checkpoints are byte for byte what earlier versions wrote).
    private const string AverageSection = "gan/ema";
    private const string AverageParametersSection = "gan/ema/parameters";
    private const string AverageStateSection = "gan/ema/state";

    /// <summary>
    /// G's exponential moving average: the network every <c>Generate</c> overload runs, or null when
    /// <see cref="GanOptions.GeneratorEmaDecay"/> is 0. It has G's architecture, always runs in inference mode, is
    /// updated after every generator update and is saved in checkpoints. Save it alone with
    /// <see cref="ModelCheckpoint.Save"/>; <see cref="Generator"/> stays the network being trained.
    /// </summary>
    public Sequential? AveragedGenerator { get; }

    /// <summary>The network <c>Generate</c> draws from: the average when it is on, else G.</summary>
    private Sequential SamplingGenerator => AveragedGenerator ?? Generator;

    /// <summary>β_t for generator update <paramref name="step"/>: 0 up to and including the start step (the average
    /// becomes G), then β·(1 − β^(t−1))/(1 − β^t) = (β − β^t)/(1 − β^t) with t = step − start + 1.</summary>
    internal static float AverageDecay(float decay, long start, long step)
    {
        if (step <= start)
        {
            return 0f;
        }

        double beta = decay;
        double power = Math.Pow(beta, step - start + 1); // β^t, in double: exact enough for t in the millions
        return (float)((beta - power) / (1.0 - power));
    }

    /// <summary>A copy of G (weights and running statistics), in inference mode, when the average is on; else null.</summary>
    private static Sequential? CreateAverage(Sequential generator, GanOptions options)
    {
        if (options.GeneratorEmaDecay == 0f)
        {
            return null;
        }

        // The checkpoint codec builds a network from its description, so the copy has exactly G's layers.
        const string source = "the generator's moving average";
        var architecture = new CheckpointFile.Section("architecture", ModelCodec.WriteArchitecture(generator), 0, source);
        var parameters = new CheckpointFile.Section("parameters", ModelCodec.WriteParameters(generator), 0, source);
        byte[]? stateBytes = ModelCodec.WriteState(generator);
        CheckpointFile.Section? state = stateBytes is null ? null : new CheckpointFile.Section("state", stateBytes, 0, source);
        Sequential copy = ModelCodec.ReadModel(architecture, parameters, state);
        copy.IsTraining = false;
        return copy;
    }

    /// <summary>Moves the average towards G after generator update <paramref name="step"/>; allocates nothing.</summary>
    private void UpdateAverage(long step)
    {
        if (AveragedGenerator is not { } average)
        {
            return;
        }

        float decay = AverageDecay(Options.GeneratorEmaDecay, Options.GeneratorEmaStart, step);

        // Index loops: enumerating IReadOnlyList through its interface would allocate on every step.
        IReadOnlyList<Layer> from = Generator.Layers;
        IReadOnlyList<Layer> to = average.Layers;
        for (int l = 0; l < from.Count; l++)
        {
            IReadOnlyList<Parameter> source = from[l].Parameters;
            IReadOnlyList<Parameter> target = to[l].Parameters;
            for (int p = 0; p < source.Count; p++)
            {
                MovingAverageKernels.Update(target[p].Value.Span, source[p].Value.Span, decay);
            }

            if (from[l] is BatchNorm normalization)
            {
                var averaged = (BatchNorm)to[l];
                MovingAverageKernels.Update(averaged.RunningMeanStorage, normalization.RunningMean, decay);
                MovingAverageKernels.Update(averaged.RunningVarianceStorage, normalization.RunningVariance, decay);
            }
        }
    }

    /// <summary>The checkpoint sections of the average (none when it is off): its settings, weights and running statistics.</summary>
    private void AddAverageSections(List<(string, byte[])> sections)
    {
        if (AveragedGenerator is not { } average)
        {
            return;
        }

        var settings = new PayloadWriter();
        settings.Write(Options.GeneratorEmaDecay);
        settings.Write(Options.GeneratorEmaStart);
        sections.Add((AverageSection, settings.ToArray()));
        sections.Add((AverageParametersSection, ModelCodec.WriteParameters(average)));
        if (ModelCodec.WriteState(average) is { } state)
        {
            sections.Add((AverageStateSection, state));
        }
    }

    /// <summary>The stored decay and start step, or (0, 1) — the average off — for a file without the section.</summary>
    private static (float Decay, long Start) ReadAverageSettings(Dictionary<string, CheckpointFile.Section> sections)
    {
        if (!sections.TryGetValue(AverageSection, out CheckpointFile.Section? section))
        {
            return (0f, 1);
        }

        PayloadReader r = section.Reader();
        long at = r.Offset;
        float decay = r.ReadSingle();
        if (!(decay > 0f && decay < 1f))
        {
            throw new CheckpointException(section.Source, at, section.Name, $"the generator average's decay is {decay}; a stored average needs a decay in (0, 1)");
        }

        at = r.Offset;
        long start = r.ReadInt64();
        if (start < 1)
        {
            throw new CheckpointException(section.Source, at, section.Name, $"the generator average's start step is {start}; it must be at least 1");
        }

        r.ExpectEnd();
        return (decay, start);
    }

    /// <summary>Puts the stored average's weights and running statistics into <see cref="AveragedGenerator"/>.</summary>
    private void RestoreAverage(Dictionary<string, CheckpointFile.Section> sections, string path)
    {
        if (AveragedGenerator is not { } average)
        {
            return;
        }

        Sequential stored = ModelCodec.ReadModel(ModelCodec.Require(sections, "generator/architecture", path), ModelCodec.Require(sections, AverageParametersSection, path), sections.GetValueOrDefault(AverageStateSection));
        average.CopyParametersFrom(stored);
    }
}

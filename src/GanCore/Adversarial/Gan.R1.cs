using GanCore.Checkpoints;
using GanCore.Models;

namespace GanCore.Adversarial;

/// <summary>The R1 gradient penalty's place in a training step and in checkpoints (the math is in <see cref="GradientPenalty"/>).</summary>
public sealed partial class Gan
{
    // Written only when the R1 settings differ from the defaults (γ = 0, N = 1), so a checkpoint without R1 is byte for
    // byte what earlier versions wrote: γ (float32), then N (int32).
    private const string R1Section = "gan/r1";

    /// <summary>
    /// After D's forward and backward pass on the real batch of discriminator update <paramref name="update"/> (0-based,
    /// counted over all steps): when R1 is on and the lazy interval selects this update, adds N·∂P/∂θ into D's gradients
    /// and sets <paramref name="penalty"/> to P; otherwise leaves both alone.
    /// </summary>
    private void ApplyR1(long step, long update, ref double penalty)
    {
        if (!R1Due(update))
        {
            return;
        }

        double value = Penalty.AccumulateR1(Options.R1Gamma, Options.R1Interval);
        CheckLoss(step, "R1 penalty", value);
        penalty = value;
    }

    /// <summary>Whether R1 is applied at D update <paramref name="update"/> (0-based): γ &gt; 0 and every N-th update.</summary>
    private bool R1Due(long update) => Options.R1Gamma != 0f && update % Options.R1Interval == 0;

    /// <summary>The payload of the R1 section, or null when the settings are the defaults (no section).</summary>
    private byte[]? WriteR1Settings()
    {
        if (Options.R1Gamma == 0f && Options.R1Interval == 1)
        {
            return null;
        }

        var writer = new PayloadWriter();
        writer.Write(Options.R1Gamma);
        writer.Write(Options.R1Interval);
        return writer.ToArray();
    }

    /// <summary>
    /// The options with the R1 settings of the file's R1 section (unchanged when there is none). A stored setting out of
    /// range, or R1 on over a stored D (or packing of a conditional GAN) the derivation does not cover, is damage: a
    /// <see cref="CheckpointException"/>.
    /// </summary>
    private static GanOptions ReadR1Settings(Dictionary<string, CheckpointFile.Section> sections, string path, GanOptions options, Sequential discriminator, int conditions)
    {
        if (!sections.TryGetValue(R1Section, out CheckpointFile.Section? section))
        {
            return options;
        }

        PayloadReader r = section.Reader();
        long at = r.Offset;
        float gamma = r.ReadSingle();
        int interval = r.ReadInt32();
        r.ExpectEnd();
        return StoredPenaltySettings(options with { R1Gamma = gamma, R1Interval = interval }, discriminator, conditions, path, at, R1Section, "R1");
    }
}

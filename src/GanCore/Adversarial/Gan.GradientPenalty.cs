using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// The WGAN-GP gradient penalty's place in a training step and in checkpoints: the interpolates between the real and
/// the fake batch, D's extra forward pass on them, and the "gan/gp" section (the math is in
/// <see cref="GradientPenalty"/>; docs/wgan-gp.md).
/// </summary>
public sealed partial class Gan
{
    // Written only when the settings differ from the defaults (λ = 0, t = 1), so a checkpoint without the penalty is
    // byte for byte what earlier versions wrote: λ (float32), then t (float32).
    private const string GradientPenaltySection = "gan/gp";

    // Made on first use, like the batch buffers: the two passes' buffers (shared by R1 and WGAN-GP) and the interpolates.
    private GradientPenalty? _penalty;
    private Matrix? _interpolates;

    /// <summary>The interpolates x̂ of the last discriminator update that ran the gradient penalty (null before one); for tests.</summary>
    internal Matrix? LastInterpolates => _interpolates;

    /// <summary>The columns of D's input the penalties cover, the examples: all of D's input ([x] or a packed [x₁, …, xₘ]), or x of [x, c].</summary>
    private int PenalizedColumns => IsConditional ? RealData.Dimension : Discriminator.InputSize;

    /// <summary>The hand-derived penalties on D's input gradient, over <see cref="PenalizedColumns"/>.</summary>
    private GradientPenalty Penalty => _penalty ??= new GradientPenalty(Discriminator, PenalizedColumns);

    /// <summary>
    /// After D's passes on the real and the fake batch of a discriminator update, before D's optimizer step: when the
    /// penalty is on, draws one ε ~ U[0, 1) per row of D's input, runs D on x̂ = ε·x + (1 − ε)·x̃ (the example columns;
    /// a conditional row keeps the real row's conditions), adds ∂P/∂θ into D's gradients and sets
    /// <paramref name="penalty"/> to P = λ · mean (‖∇ₓD(x̂)‖ − t)²; otherwise leaves both alone.
    /// </summary>
    /// <param name="step">The step number, for a divergence report.</param>
    /// <param name="realInput">D's input for the real batch of this update (packed when packing).</param>
    /// <param name="fakeInput">D's input for the fake batch of this update.</param>
    /// <param name="penalty">Set to P when the penalty ran.</param>
    private void ApplyGradientPenalty(long step, Matrix realInput, Matrix fakeInput, ref double penalty)
    {
        if (Options.GradientPenaltyWeight == 0f)
        {
            return;
        }

        int examples = PenalizedColumns;
        Matrix interpolates = Matrix.Ensure(ref _interpolates, realInput.Rows, realInput.Columns);
        for (int i = 0; i < interpolates.Rows; i++)
        {
            float epsilon = Random.NextSingle();
            ReadOnlySpan<float> real = realInput.Row(i);
            ReadOnlySpan<float> fake = fakeInput.Row(i);
            Span<float> mixed = interpolates.Row(i);
            for (int j = 0; j < examples; j++)
            {
                mixed[j] = fake[j] + (epsilon * (real[j] - fake[j]));
            }

            real[examples..].CopyTo(mixed[examples..]); // the conditions: the real row's
        }

        Discriminator.Forward(interpolates);
        double value = Penalty.AccumulateCentered(Options.GradientPenaltyWeight, Options.GradientPenaltyTarget);
        CheckLoss(step, "gradient penalty", value);
        penalty = value;
    }

    /// <summary>The payload of the gradient-penalty section, or null when the settings are the defaults (no section).</summary>
    private byte[]? WriteGradientPenaltySettings()
    {
        if (Options.GradientPenaltyWeight == 0f && Options.GradientPenaltyTarget == 1f)
        {
            return null;
        }

        var writer = new PayloadWriter();
        writer.Write(Options.GradientPenaltyWeight);
        writer.Write(Options.GradientPenaltyTarget);
        return writer.ToArray();
    }

    /// <summary>
    /// The options with the settings of the file's gradient-penalty section (unchanged when there is none). A stored
    /// setting out of range, or the penalty on over a stored D (or packing of a conditional GAN) the derivation does not
    /// cover, is damage: a <see cref="CheckpointException"/>.
    /// </summary>
    private static GanOptions ReadGradientPenaltySettings(Dictionary<string, CheckpointFile.Section> sections, string path, GanOptions options, Sequential discriminator, int conditions)
    {
        if (!sections.TryGetValue(GradientPenaltySection, out CheckpointFile.Section? section))
        {
            return options;
        }

        PayloadReader r = section.Reader();
        long at = r.Offset;
        float weight = r.ReadSingle();
        float target = r.ReadSingle();
        r.ExpectEnd();
        return StoredPenaltySettings(options with { GradientPenaltyWeight = weight, GradientPenaltyTarget = target }, discriminator, conditions, path, at, GradientPenaltySection, "gradient-penalty");
    }

    /// <summary>
    /// <paramref name="read"/>, the options with a penalty section's settings, checked as the constructor checks them: a
    /// setting out of range, or a penalty on over a stored D its derivation does not cover or in a packed conditional GAN
    /// (<paramref name="conditions"/> &gt; 0 and <c>read.PackingDegree</c> &gt; 1), is damage, a
    /// <see cref="CheckpointException"/> naming the section and the payload offset <paramref name="at"/>. Both penalties
    /// are checked on each section read; the one read first was checked with its own section already.
    /// </summary>
    private static GanOptions StoredPenaltySettings(GanOptions read, Sequential discriminator, int conditions, string path, long at, string section, string settings)
    {
        try
        {
            read.Validate();
            CheckPenaltiesSupported(read, discriminator, "stored discriminator", conditions);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, at, section, $"the stored {settings} settings are invalid: {e.Message}");
        }

        return read;
    }
}

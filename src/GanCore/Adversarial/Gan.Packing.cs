using GanCore.Checkpoints;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// Packing (PacGAN, Lin et al. 2018), on when <see cref="GanOptions.PackingDegree"/> m is above 1: D judges m examples
/// at once. Row r of D's packed input is the concatenation of examples r·m, …, r·m + m − 1 of the batch, each with
/// its condition when conditional: [x_{rm}, c_{rm}, …, x_{rm+m−1}, c_{rm+m−1}].
/// </summary>
/// <remarks>
/// Packing is a copy, not a layer: D's input gradient for packed row r, columns [j·w, (j + 1)·w), is the gradient for
/// example r·m + j (w the width of one example with its condition), and its first data-width columns flow back into G.
/// D's loss, its gradient and the scores are over the B/m packed rows.
/// </remarks>
public sealed partial class Gan
{
    // Written only when m > 1 (so other checkpoints are byte for byte what earlier versions wrote).
    private const string PackingSection = "gan/packing";

    /// <summary>D's rows per batch: <see cref="GanOptions.BatchSize"/>/m packed rows (the batch itself when m = 1).</summary>
    private int PackedRows => Options.BatchSize / Options.PackingDegree;

    /// <summary>
    /// D's input for a batch: <paramref name="examples"/> itself without packing, else the batch copied into
    /// <paramref name="packed"/>, example i at row ⌊i/m⌋, columns [(i mod m)·w, (i mod m + 1)·w).
    /// </summary>
    private Matrix Pack(Matrix examples, Matrix? packed)
    {
        if (packed is null)
        {
            return examples;
        }

        int m = Options.PackingDegree;
        int width = examples.Columns;
        for (int i = 0; i < examples.Rows; i++)
        {
            examples.Row(i).CopyTo(packed.Row(i / m).Slice((i % m) * width, width));
        }

        return packed;
    }

    /// <summary>
    /// Unpacks dL/d(D's packed input) into dL/d(G's output): example i's gradient is packed row ⌊i/m⌋, columns
    /// [(i mod m)·w, (i mod m)·w + data width); the condition columns get none.
    /// </summary>
    private Matrix UnpackExampleGradient(Matrix gradientInput, Matrix destination)
    {
        int m = Options.PackingDegree;
        int member = gradientInput.Columns / m;
        int width = destination.Columns;
        for (int i = 0; i < destination.Rows; i++)
        {
            gradientInput.Row(i / m).Slice((i % m) * member, width).CopyTo(destination.Row(i));
        }

        return destination;
    }

    /// <summary>The packing section (none when m = 1): m.</summary>
    private void AddPackingSection(List<(string, byte[])> sections)
    {
        if (Options.PackingDegree == 1)
        {
            return;
        }

        var packing = new PayloadWriter();
        packing.Write(Options.PackingDegree);
        sections.Add((PackingSection, packing.ToArray()));
    }

    /// <summary>The stored packing degree, or 1 for a file without the section.</summary>
    private static int ReadPackingDegree(Dictionary<string, CheckpointFile.Section> sections)
    {
        if (!sections.TryGetValue(PackingSection, out CheckpointFile.Section? section))
        {
            return 1;
        }

        PayloadReader r = section.Reader();
        int m = r.ReadInt32(2, 1 << 20, "the packing degree");
        r.ExpectEnd();
        return m;
    }
}

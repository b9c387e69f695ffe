namespace GanCore.Adversarial;

/// <summary>How a <see cref="MatrixSampler"/> picks rows.</summary>
public enum SamplingMode
{
    /// <summary>Every row of a batch is drawn uniformly and independently from all examples (an example may repeat,
    /// within a batch too). The sampler has no state of its own: its draws depend only on the generator passed to
    /// <see cref="MatrixSampler.Fill"/>, so a GAN checkpoint (which saves that generator) resumes it exactly.</summary>
    WithReplacement,

    /// <summary>Epoch by epoch: each epoch visits every example once, in a fresh random order, and batches are cut from
    /// that order one after another (a batch that crosses the end of an epoch continues into the next one). The
    /// position inside the epoch is state of the sampler: see <see cref="MatrixSampler.GetState"/>.</summary>
    WithoutReplacement,
}

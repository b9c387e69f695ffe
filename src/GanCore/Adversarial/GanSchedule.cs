namespace GanCore.Adversarial;

/// <summary>How discriminator and generator updates are ordered.</summary>
public enum GanSchedule
{
    /// <summary>Both gradients come from one forward pass and both networks are updated together (as in the original TensorFlow tutorial).</summary>
    Simultaneous = 0,

    /// <summary>k discriminator updates, each on fresh batches, then one generator update against the updated D (Goodfellow's Algorithm 1).</summary>
    Alternating = 1,
}

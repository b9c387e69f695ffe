using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>Argument checks shared by the noise sources and real-data samplers.</summary>
internal static class SourceChecks
{
    public static void CheckBatch(Matrix destination, int dimension, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(destination, name);
        if (destination.Columns != dimension)
        {
            throw new ArgumentException($"The {what} batch has width {destination.Columns}; this source produces width {dimension}.", name);
        }
    }
}

namespace GanCore.Kernels;

/// <summary>
/// Whether two float spans share memory: what <see cref="MemoryExtensions.Overlaps{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
/// answers, written for float so that the precompiled image needs no generic instantiation from the framework (the
/// framework's for float is compiled by the JIT in a process's first training step, then runs as unoptimized code).
/// </summary>
internal static unsafe class SpanOverlap
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> share at least one element.</summary>
    public static bool Any(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Any(a, b, out _);

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> share at least one element; then
    /// <paramref name="elementOffset"/> is where <paramref name="b"/> starts relative to <paramref name="a"/>, in elements
    /// (0 when they start together), else 0.
    /// </summary>
    public static bool Any(ReadOnlySpan<float> a, ReadOnlySpan<float> b, out int elementOffset)
    {
        elementOffset = 0;
        if (a.IsEmpty || b.IsEmpty)
        {
            return false;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            long offset = pb - pa;
            if (offset >= a.Length || -offset >= b.Length)
            {
                return false;
            }

            elementOffset = (int)offset;
            return true;
        }
    }
}

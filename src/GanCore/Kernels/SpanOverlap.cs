using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// Whether two float spans share memory: what <see cref="MemoryExtensions.Overlaps{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
/// answers, written for float so that the precompiled image needs no generic instantiation from the framework (the
/// framework's for float is compiled by the JIT in a process's first training step, then runs as unoptimized code).
/// </summary>
internal static class SpanOverlap
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> share at least one element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Any(a, b, out _);

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> share at least one element; then
    /// <paramref name="elementOffset"/> is where <paramref name="b"/> starts relative to <paramref name="a"/>, in elements
    /// (0 when they start together), else 0.
    /// </summary>
    /// <remarks>Inlined, so that a GEMM's argument checks (two of these) cost no call.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(ReadOnlySpan<float> a, ReadOnlySpan<float> b, out int elementOffset)
    {
        elementOffset = 0;
        if (a.IsEmpty || b.IsEmpty)
        {
            return false;
        }

        // Without pinning (a method with a pinned local is never inlined): the distance between the two first elements.
        // Through the indexer (both spans are non-empty) rather than MemoryMarshal.GetReference<float>, which the
        // precompiled image does not hold: the JIT compiled it in a process's first step, and it ran as tier-0 code.
        long offset = (long)Unsafe.ByteOffset(ref Unsafe.AsRef(in a[0]), ref Unsafe.AsRef(in b[0])) / sizeof(float);
        if (offset >= a.Length || -offset >= b.Length)
        {
            return false;
        }

        elementOffset = (int)offset;
        return true;
    }
}

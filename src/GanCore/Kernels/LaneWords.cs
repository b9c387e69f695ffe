using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>
/// Constants for kernels that do integer steps on the bits of doubles as 32-bit words (<c>int</c>) instead of 64-bit
/// integers: lane j's low word is element 2j, its high word element 2j + 1.
/// </summary>
/// <remarks>
/// A fresh process builds every vector type the first time it is used, each element type costing it about a millisecond
/// (docs/kernels.md, "Warm-up"). The step's kernels already need <c>float</c>, <c>int</c> and <c>double</c> vectors; the
/// exp and log kernels' 64-bit integer steps are done on words so that <c>long</c> vectors are not a fourth. The steps
/// they need add, subtract, mask or compare with constants whose low word is 0, or shift bits that land in the high
/// word, so no carry or borrow crosses from one word to the other and each is a 32-bit step on the high words.
/// </remarks>
internal static class LaneWords
{
    /// <summary><paramref name="high"/> in the high word of each of eight 64-bit lanes, 0 in the low words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> High512(int high) => Vector512.Create(0, high, 0, high, 0, high, 0, high, 0, high, 0, high, 0, high, 0, high);

    /// <summary><paramref name="high"/> in the high word of each of four 64-bit lanes, 0 in the low words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> High256(int high) => Vector256.Create(0, high, 0, high, 0, high, 0, high);

    /// <summary>Permute indices that take the high words (elements 1, 3, …, 15) of eight 64-bit lanes to elements 0–7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> HighWordsFirst() => Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);

    /// <summary>Permute indices that put element j (0–7) in both words of 64-bit lane j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> SpreadToLanes() => Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);

    /// <summary><c>Shuffle</c> control that copies each lane's low word to its high word.</summary>
    public const byte LowToBoth = 0b10_10_00_00;

    /// <summary><c>Shuffle</c> control that copies each lane's high word to its low word.</summary>
    public const byte HighToBoth = 0b11_11_01_01;

    /// <summary><c>Shuffle</c> control that swaps the two words of each lane.</summary>
    public const byte SwapWords = 0b10_11_00_01;
}

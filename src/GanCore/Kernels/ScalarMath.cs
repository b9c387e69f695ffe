using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// <see cref="Math.Max(float, float)"/> and <see cref="Math.Min(float, float)"/> (and their double forms) on single values,
/// bit for bit: NaN when either argument is NaN (that argument, with its payload and sign; of two NaNs the first, where
/// <c>Math.Max</c> returns either, by type and host; a signalling NaN, which no arithmetic makes, comes back as it is,
/// where the JIT's <c>Math.Max</c> quiets it), +0 over −0 for the maximum and −0 for the minimum. They are written as
/// comparisons for the precompiled image's sake, not for speed.
/// </summary>
/// <remarks>
/// .NET 10's JIT expands <c>Math.Max</c>, <c>Math.Min</c> and a float-to-integer cast with AVX10.2's instructions where the
/// CPU has them. crossgen2, compiling the x86-64-v4 image, takes AVX10.2 as possible (one of its "optimistic" instruction
/// sets), compiles every method that uses one of them with that answer and records that the method's code needs AVX10.2.
/// A CPU without AVX10.2 (every one this project has measured: AMD Zen 4 and Zen 5, Intel Xeon up to Emerald Rapids)
/// refuses that code, and the method starts at tier 0, unoptimized, for its first ~100 ms of calls. Naming AVX10.2 as
/// absent for the whole image instead would make a CPU that has it refuse the whole image. These comparisons ask about
/// no instruction set (benchmarks/RESULTS.md, fifty-first session), and <see cref="ToInt32"/> converts a value known to be
/// integral the same way.
/// </remarks>
internal static class ScalarMath
{
    /// <summary>What <see cref="Math.Max(float, float)"/> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) =>
        a > b || float.IsNaN(a) ? a : a < b || float.IsNaN(b) ? b : float.IsNegative(a) ? b : a;

    /// <summary>What <see cref="Math.Min(float, float)"/> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) =>
        a < b || float.IsNaN(a) ? a : a > b || float.IsNaN(b) ? b : float.IsNegative(a) ? a : b;

    /// <summary>What <see cref="Math.Max(double, double)"/> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) =>
        a > b || double.IsNaN(a) ? a : a < b || double.IsNaN(b) ? b : double.IsNegative(a) ? b : a;

    /// <summary>What <see cref="Math.Min(double, double)"/> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) =>
        a < b || double.IsNaN(a) ? a : a > b || double.IsNaN(b) ? b : double.IsNegative(a) ? a : b;

    /// <summary>A value already known to hold an integer in <see cref="int"/>'s range (a checked class id, a rounded count),
    /// as that integer: the processor's own conversion, which for such a value is what the C# cast <c>(int)</c> gives.
    /// A <see cref="float"/> argument widens to <see cref="double"/> exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToInt32(double integral) => double.ConvertToIntegerNative<int>(integral);
}

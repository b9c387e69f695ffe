using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// A 16×16 block of floats transposed in AVX-512 registers: sixteen vectors go in, and output vector i, which holds lane
/// i of every input (input j in its lane j), goes to a sink as soon as it exists. 64 shuffles for 256 floats, where
/// four <see cref="Tile8"/> transposes take 96 in registers half as wide.
/// </summary>
/// <remarks>The outputs go to a sink, not back as a struct of sixteen vectors: a struct of vectors passed between inlined
/// helpers can be kept in memory (the few-rows product in GemmFewRows.cs avoids <see cref="Tile8"/> there for that reason), and a
/// sink lets each output be stored while the next ones are still being shuffled. Requires AVX-512F.</remarks>
internal static class Tile16
{
    /// <summary>Where the outputs of <see cref="Transpose"/> go: a struct, so that every call inlines.</summary>
    internal interface ISink
    {
        /// <summary>Takes output <paramref name="index"/> (0–15): lane j is lane <paramref name="index"/> of input j.</summary>
        void Put(int index, Vector512<float> value);
    }

    /// <summary>
    /// Transposes the block whose inputs are <paramref name="r0"/> … <paramref name="r15"/>: pairs of inputs interleaved
    /// within 128-bit lanes (unpack), pairs of pairs (shuffle), so that lane L of u{g}{q} holds element 4L + q of inputs
    /// 4g … 4g + 3, then the 128-bit lanes gathered across the four groups (two rounds of 128-bit shuffles), which puts
    /// lane L of every group into output 4L + q. Outputs come in the order 0, 4, 8, 12, 1, 5, …, 15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose<TSink>(
        Vector512<float> r0,
        Vector512<float> r1,
        Vector512<float> r2,
        Vector512<float> r3,
        Vector512<float> r4,
        Vector512<float> r5,
        Vector512<float> r6,
        Vector512<float> r7,
        Vector512<float> r8,
        Vector512<float> r9,
        Vector512<float> r10,
        Vector512<float> r11,
        Vector512<float> r12,
        Vector512<float> r13,
        Vector512<float> r14,
        Vector512<float> r15,
        ref TSink sink)
        where TSink : struct, ISink
    {
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> t10 = Avx512F.UnpackLow(r10, r11), t11 = Avx512F.UnpackHigh(r10, r11);
        Vector512<float> t12 = Avx512F.UnpackLow(r12, r13), t13 = Avx512F.UnpackHigh(r12, r13);
        Vector512<float> t14 = Avx512F.UnpackLow(r14, r15), t15 = Avx512F.UnpackHigh(r14, r15);

        Vector512<float> u00 = Avx512F.Shuffle(t0, t2, 0x44), u01 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u02 = Avx512F.Shuffle(t1, t3, 0x44), u03 = Avx512F.Shuffle(t1, t3, 0xEE);
        Vector512<float> u10 = Avx512F.Shuffle(t4, t6, 0x44), u11 = Avx512F.Shuffle(t4, t6, 0xEE);
        Vector512<float> u12 = Avx512F.Shuffle(t5, t7, 0x44), u13 = Avx512F.Shuffle(t5, t7, 0xEE);
        Vector512<float> u20 = Avx512F.Shuffle(t8, t10, 0x44), u21 = Avx512F.Shuffle(t8, t10, 0xEE);
        Vector512<float> u22 = Avx512F.Shuffle(t9, t11, 0x44), u23 = Avx512F.Shuffle(t9, t11, 0xEE);
        Vector512<float> u30 = Avx512F.Shuffle(t12, t14, 0x44), u31 = Avx512F.Shuffle(t12, t14, 0xEE);
        Vector512<float> u32 = Avx512F.Shuffle(t13, t15, 0x44), u33 = Avx512F.Shuffle(t13, t15, 0xEE);

        Gather(0, u00, u10, u20, u30, ref sink);
        Gather(1, u01, u11, u21, u31, ref sink);
        Gather(2, u02, u12, u22, u32, ref sink);
        Gather(3, u03, u13, u23, u33, ref sink);
    }

    /// <summary>Outputs q, 4 + q, 8 + q and 12 + q: lane L of each group's vector (<paramref name="g0"/> for inputs 0–3,
    /// … <paramref name="g3"/> for 12–15) into output 4L + q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather<TSink>(int q, Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3, ref TSink sink)
        where TSink : struct, ISink
    {
        Vector512<float> v0 = Avx512F.Shuffle4x128(g0, g1, 0x44);
        Vector512<float> v1 = Avx512F.Shuffle4x128(g0, g1, 0xEE);
        Vector512<float> w0 = Avx512F.Shuffle4x128(g2, g3, 0x44);
        Vector512<float> w1 = Avx512F.Shuffle4x128(g2, g3, 0xEE);
        sink.Put(q, Avx512F.Shuffle4x128(v0, w0, 0x88));
        sink.Put(q + 4, Avx512F.Shuffle4x128(v0, w0, 0xDD));
        sink.Put(q + 8, Avx512F.Shuffle4x128(v1, w1, 0x88));
        sink.Put(q + 12, Avx512F.Shuffle4x128(v1, w1, 0xDD));
    }
}

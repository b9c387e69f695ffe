using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>Eight 8-float rows transposed in AVX registers: column c of the 8×8 tile is <c>C{c}</c>.</summary>
internal readonly struct Tile8 : ITransposingTile<Tile8>
{
    /// <inheritdoc/>
    public static int Width => 8;

    public Vector256<float> C0 { get; init; }

    public Vector256<float> C1 { get; init; }

    public Vector256<float> C2 { get; init; }

    public Vector256<float> C3 { get; init; }

    public Vector256<float> C4 { get; init; }

    public Vector256<float> C5 { get; init; }

    public Vector256<float> C6 { get; init; }

    public Vector256<float> C7 { get; init; }

    /// <summary>Column <paramref name="c"/> (0–7) of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Column(int c) => c switch
    {
        0 => C0,
        1 => C1,
        2 => C2,
        3 => C3,
        4 => C4,
        5 => C5,
        6 => C6,
        _ => C7,
    };

    /// <summary>Stores the eight columns as whole vectors, <paramref name="stride"/> floats apart from <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void StoreColumns(float* d, nint stride)
    {
        Avx.Store(d, C0);
        Avx.Store(d + stride, C1);
        Avx.Store(d + (2 * stride), C2);
        Avx.Store(d + (3 * stride), C3);
        Avx.Store(d + (4 * stride), C4);
        Avx.Store(d + (5 * stride), C5);
        Avx.Store(d + (6 * stride), C6);
        Avx.Store(d + (7 * stride), C7);
    }

    /// <summary>The first 8 floats of <paramref name="rows"/> (1 to 8) rows <paramref name="stride"/> floats apart, zeros
    /// for the rows past them (never read), transposed: what the packing routines turn into k-major slivers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Tile8 LoadTransposed(float* s, nint stride, int rows)
    {
        Vector256<float> zero = Vector256<float>.Zero;
        return Transpose(
            Avx.LoadVector256(s),
            rows > 1 ? Avx.LoadVector256(s + stride) : zero,
            rows > 2 ? Avx.LoadVector256(s + (2 * stride)) : zero,
            rows > 3 ? Avx.LoadVector256(s + (3 * stride)) : zero,
            rows > 4 ? Avx.LoadVector256(s + (4 * stride)) : zero,
            rows > 5 ? Avx.LoadVector256(s + (5 * stride)) : zero,
            rows > 6 ? Avx.LoadVector256(s + (6 * stride)) : zero,
            rows > 7 ? Avx.LoadVector256(s + (7 * stride)) : zero);
    }

    /// <summary>
    /// Pairs of rows interleaved (unpack), then pairs of pairs (shuffle), then the 128-bit halves swapped into place:
    /// t0 = (r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅), u0 = (r0₀ r1₀ r2₀ r3₀ | r0₄ r1₄ r2₄ r3₄), column 0 = (u0 low, u4 low).
    /// 24 shuffles for 64 floats. Requires AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Tile8 Transpose(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3, Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> u7 = Avx.Shuffle(t5, t7, 0xEE);
        return new Tile8
        {
            C0 = Avx.Permute2x128(u0, u4, 0x20),
            C1 = Avx.Permute2x128(u1, u5, 0x20),
            C2 = Avx.Permute2x128(u2, u6, 0x20),
            C3 = Avx.Permute2x128(u3, u7, 0x20),
            C4 = Avx.Permute2x128(u0, u4, 0x31),
            C5 = Avx.Permute2x128(u1, u5, 0x31),
            C6 = Avx.Permute2x128(u2, u6, 0x31),
            C7 = Avx.Permute2x128(u3, u7, 0x31),
        };
    }
}

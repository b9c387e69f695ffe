using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// Four 4-float rows transposed in 128-bit registers: column c of the 4×4 tile is <c>C{c}</c>. The packing routines'
/// tile for 128-bit slivers (4 rows of A, 8 columns of B), on every host: SSE on x64, AdvSimd on Arm64, lane by lane
/// elsewhere.
/// </summary>
internal readonly struct Tile4 : ITransposingTile<Tile4>
{
    /// <inheritdoc/>
    public static int Width => 4;

    public Vector128<float> C0 { get; init; }

    public Vector128<float> C1 { get; init; }

    public Vector128<float> C2 { get; init; }

    public Vector128<float> C3 { get; init; }

    /// <summary>Stores the four columns as whole vectors, <paramref name="stride"/> floats apart from <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void StoreColumns(float* d, nint stride)
    {
        C0.StoreUnsafe(ref *d);
        C1.StoreUnsafe(ref *(d + stride));
        C2.StoreUnsafe(ref *(d + (2 * stride)));
        C3.StoreUnsafe(ref *(d + (3 * stride)));
    }

    /// <summary>The first 4 floats of <paramref name="rows"/> (1 to 4) rows <paramref name="stride"/> floats apart, zeros
    /// for the rows past them (never read), transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Tile4 LoadTransposed(float* s, nint stride, int rows)
    {
        Vector128<float> zero = Vector128<float>.Zero;
        return Transpose(
            Vector128.LoadUnsafe(ref *s),
            rows > 1 ? Vector128.LoadUnsafe(ref *(s + stride)) : zero,
            rows > 2 ? Vector128.LoadUnsafe(ref *(s + (2 * stride))) : zero,
            rows > 3 ? Vector128.LoadUnsafe(ref *(s + (3 * stride))) : zero);
    }

    /// <summary>
    /// Rows interleaved in pairs, t0 = (r0₀ r1₀ r0₁ r1₁), t1 = (r2₀ r3₀ r2₁ r3₁), then the 64-bit halves of the pairs
    /// joined: column 0 = (t0 low, t1 low) = (r0₀ r1₀ r2₀ r3₀), column 1 = (t0 high, t1 high). Eight shuffles for 16
    /// floats: unpcklps/unpckhps and movlhps/movhlps on x64, zip1/zip2 on 32- and then 64-bit lanes on Arm64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Tile4 Transpose(Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3)
    {
        if (Sse.IsSupported)
        {
            Vector128<float> t0 = Sse.UnpackLow(r0, r1);
            Vector128<float> t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1);
            Vector128<float> t3 = Sse.UnpackHigh(r2, r3);
            return new Tile4
            {
                C0 = Sse.MoveLowToHigh(t0, t1),
                C1 = Sse.MoveHighToLow(t1, t0),
                C2 = Sse.MoveLowToHigh(t2, t3),
                C3 = Sse.MoveHighToLow(t3, t2),
            };
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            Vector128<ulong> t0 = AdvSimd.Arm64.ZipLow(r0, r1).AsUInt64();
            Vector128<ulong> t1 = AdvSimd.Arm64.ZipLow(r2, r3).AsUInt64();
            Vector128<ulong> t2 = AdvSimd.Arm64.ZipHigh(r0, r1).AsUInt64();
            Vector128<ulong> t3 = AdvSimd.Arm64.ZipHigh(r2, r3).AsUInt64();
            return new Tile4
            {
                C0 = AdvSimd.Arm64.ZipLow(t0, t1).AsSingle(),
                C1 = AdvSimd.Arm64.ZipHigh(t0, t1).AsSingle(),
                C2 = AdvSimd.Arm64.ZipLow(t2, t3).AsSingle(),
                C3 = AdvSimd.Arm64.ZipHigh(t2, t3).AsSingle(),
            };
        }

        return new Tile4
        {
            C0 = Vector128.Create(r0.GetElement(0), r1.GetElement(0), r2.GetElement(0), r3.GetElement(0)),
            C1 = Vector128.Create(r0.GetElement(1), r1.GetElement(1), r2.GetElement(1), r3.GetElement(1)),
            C2 = Vector128.Create(r0.GetElement(2), r1.GetElement(2), r2.GetElement(2), r3.GetElement(2)),
            C3 = Vector128.Create(r0.GetElement(3), r1.GetElement(3), r2.GetElement(3), r3.GetElement(3)),
        };
    }
}

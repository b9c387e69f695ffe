namespace GanCore.Kernels;

/// <summary>
/// A square tile of W×W floats transposed in registers, as the transposing packs use it: <see cref="Tile4"/> (W = 4,
/// 128-bit vectors, any host) and <see cref="Tile8"/> (W = 8, AVX). A pack generic over this interface names only its
/// own tile's vectors in each instantiation: precompiled code loads every vector type a method names at its first call,
/// so a pack that chose its tile with a <c>typeof</c> test named both, and its 4-wide instantiation loaded
/// <c>Vector256&lt;float&gt;</c> on a CPU without AVX (sixty-ninth session).
/// </summary>
/// <typeparam name="TSelf">The tile itself.</typeparam>
internal unsafe interface ITransposingTile<TSelf>
    where TSelf : struct, ITransposingTile<TSelf>
{
    /// <summary>W: the rows, columns and floats per vector of the tile.</summary>
    static abstract int Width { get; }

    /// <summary>The first W floats of <paramref name="rows"/> (1 to W) rows <paramref name="stride"/> floats apart,
    /// zeros for the rows past them (never read), transposed.</summary>
    static abstract TSelf LoadTransposed(float* s, nint stride, int rows);

    /// <summary>Stores the W columns as whole vectors, <paramref name="stride"/> floats apart from <paramref name="d"/>.</summary>
    void StoreColumns(float* d, nint stride);
}

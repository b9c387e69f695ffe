using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>
/// Every M, N, K in 1..33 for one GEMM form, at every vector width and on every path (automatic, direct, packed),
/// with accumulate and overwrite and padded strides alternating by shape. The reference is computed once per shape.
/// One derived class per form so xunit runs the four cubes in parallel.
/// </summary>
public abstract class GemmCubeTestsBase
{
    private readonly bool _transposeA;
    private readonly bool _transposeB;

    protected GemmCubeTestsBase(bool transposeA, bool transposeB)
    {
        _transposeA = transposeA;
        _transposeB = transposeB;
    }

    [Fact]
    public void Every_shape_up_to_33_matches_the_reference_at_every_width_and_path()
    {
        VectorWidth[] widths = GemmWidths.All().ToArray();
        GemmPath[] paths = [GemmPath.Auto, GemmPath.Direct, GemmPath.Packed, GemmPath.Stream, GemmPath.Dot];
        for (int m = 1; m <= 33; m++)
        {
            for (int n = 1; n <= 33; n++)
            {
                for (int k = 1; k <= 33; k++)
                {
                    int h = (m * 31) + (n * 7) + k;
                    var test = new GemmCase(_transposeA, _transposeB, m, n, k, accumulate: (h & 1) == 1, padA: h % 3, padB: (h / 3) % 2, padC: (h / 5) % 3, seed: h);

                    // The widest width sees every path on every shape; narrower widths see every path on a third of the shapes.
                    for (int w = 0; w < widths.Length; w++)
                    {
                        if (w > 0 && (h % 3) != (w % 3))
                        {
                            continue;
                        }

                        foreach (GemmPath path in paths)
                        {
                            test.Verify(widths[w], path);
                        }
                    }
                }
            }
        }
    }
}

public sealed class GemmCubeTests_AB() : GemmCubeTestsBase(false, false);

public sealed class GemmCubeTests_AtB() : GemmCubeTestsBase(true, false);

public sealed class GemmCubeTests_ABt() : GemmCubeTestsBase(false, true);

public sealed class GemmCubeTests_AtBt() : GemmCubeTestsBase(true, true);

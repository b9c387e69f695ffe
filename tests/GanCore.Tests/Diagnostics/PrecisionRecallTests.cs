using GanCore.Diagnostics;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Kernels;

namespace GanCore.Tests.Diagnostics;

public class PrecisionRecallTests
{
    private static Matrix Column(params float[] values) => Matrix.FromRows(values.Length, 1, values);

    private static Matrix Cloud(RandomSource random, int n, float cx, float cy, float sigma)
    {
        var m = new Matrix(n, 2);
        for (int i = 0; i < n; i++)
        {
            m[i, 0] = cx + (sigma * (float)random.NextGaussian());
            m[i, 1] = cy + (sigma * (float)random.NextGaussian());
        }

        return m;
    }

    [Fact]
    public void Default_k_is_the_papers_3()
    {
        PrecisionRecall.DefaultNeighbors.Should().Be(3);
    }

    [Fact]
    public void Identical_sets_have_precision_and_recall_1()
    {
        Matrix x = Cloud(new RandomSource(1), 500, 0, 0, 1);
        PrecisionRecall.Compute(x, x).Should().Be(new PrecisionRecallResult(1, 1));
    }

    [Fact]
    public void Disjoint_far_apart_sets_have_precision_and_recall_0()
    {
        var random = new RandomSource(2);
        Matrix real = Cloud(random, 300, 0, 0, 1);
        Matrix generated = Cloud(random, 300, 100, 100, 1);
        PrecisionRecall.Compute(real, generated).Should().Be(new PrecisionRecallResult(0, 0));
    }

    [Fact]
    public void A_generator_that_draws_one_of_two_real_clusters_has_full_precision_and_partial_recall()
    {
        // Real: clusters A (200 points) and B (300 points) far apart. Generated: exactly the points of A (a subset).
        // Every generated point equals a real point (distance 0 ≤ radius): precision 1. The real points of A equal
        // generated points: inside; those of B are 50 units from every generated ball (radii < 1): recall 200/500.
        var random = new RandomSource(3);
        Matrix a = Cloud(random, 200, 0, 0, 0.1f);
        Matrix b = Cloud(random, 300, 50, 0, 0.1f);
        var real = new Matrix(500, 2);
        a.CopyTo(real.Slice(0, 0, 200, 2));
        b.CopyTo(real.Slice(200, 0, 300, 2));

        PrecisionRecall.Compute(real, a).Should().Be(new PrecisionRecallResult(1, 0.4));

        // Swapping the roles swaps the answers: the real set is now the subset.
        PrecisionRecall.Compute(a, real).Should().Be(new PrecisionRecallResult(0.4, 1));
    }

    [Fact]
    public void A_tiny_one_dimensional_case_matches_the_hand_computation()
    {
        // k = 1. Real {−20, 0, 1, 3}: radii 20, 1, 1, 2 → balls [−40, 0], [−1, 1], [0, 2], [1, 5].
        // Generated {0.4, 2.5, 10, 11}: 0.4 and 2.5 are inside, 10 and 11 are not → precision 2/4.
        // Generated radii: 0.4 → 2.1 (to 2.5), 2.5 → 2.1, 10 → 1, 11 → 1 → balls [−1.7, 2.5], [0.4, 4.6], [9, 11], [10, 12].
        // Real −20 is outside every ball; 0 (0.4 away), 1 and 3 (0.5 from 2.5) are inside → recall 3/4.
        Matrix real = Column(-20, 0, 1, 3);
        Matrix generated = Column(0.4f, 2.5f, 10, 11);
        PrecisionRecall.Compute(real, generated, k: 1).Should().Be(new PrecisionRecallResult(0.5, 0.75));

        // k = 2. Real radii: −20 → 21, 0 → 3, 1 → 2, 3 → 3: the ball of −20 now reaches 1, of 0 reaches 3.
        // Generated 0.4 and 2.5 inside; 10 and 11 are 7 and 8 from 3 (radius 3): outside → precision 1/2.
        // Generated radii: 0.4 → 9.6, 2.5 → 7.5, 10 → 7.5, 11 → 8.5: −20 is 20.4 from 0.4 (radius 9.6): outside → recall 3/4.
        PrecisionRecall.Compute(real, generated, k: 2).Should().Be(new PrecisionRecallResult(0.5, 0.75));
    }

    [Fact]
    public void The_ball_boundary_is_inclusive()
    {
        // Real {0, 1, 2} with k = 1: every radius is 1. A generated point at exactly 3 lies on the ball of 2.
        Matrix real = Column(0, 1, 2);
        PrecisionRecall.Compute(real, Column(3, 3), k: 1).Precision.Should().Be(1);
        PrecisionRecall.Compute(real, Column(3.001f, 3.001f), k: 1).Precision.Should().Be(0);
    }

    [Fact]
    public void Radii_exclude_the_sample_itself_but_count_duplicates()
    {
        // {0, 0, 1, 4}: for the first 0 the other distances are 0 (its duplicate), 1 and 4.
        Matrix x = Column(0, 0, 1, 4);
        PrecisionRecall.NeighborRadii(x, 1).Should().Equal(0, 0, 1, 3);
        PrecisionRecall.NeighborRadii(x, 2).Should().Equal(1, 1, 1, 4);
        PrecisionRecall.NeighborRadii(x, 3).Should().Equal(4, 4, 3, 4);
    }

    [Fact]
    public void Radii_are_euclidean_in_several_dimensions()
    {
        // A 3-4-5 triangle plus a far point: k = 1 radius of (0,0) is 3 (to (3,0)); of (3,4) it is 4.
        Matrix x = Matrix.FromArray(new float[,] { { 0, 0 }, { 3, 0 }, { 3, 4 }, { 30, 40 } });
        PrecisionRecall.NeighborRadii(x, 1).Should().Equal(3, 3, 4, 45);
    }

    [Fact]
    public void A_generator_too_wide_has_lower_precision_and_one_too_narrow_has_lower_recall()
    {
        var random = new RandomSource(4);
        Matrix real = Cloud(random, 1000, 0, 0, 1);
        Matrix wide = Cloud(random, 1000, 0, 0, 4);
        Matrix narrow = Cloud(random, 1000, 0, 0, 0.25f);
        PrecisionRecallResult w = PrecisionRecall.Compute(real, wide);
        PrecisionRecallResult n = PrecisionRecall.Compute(real, narrow);
        w.Precision.Should().BeLessThan(0.5);
        w.Recall.Should().BeGreaterThan(0.9);
        n.Precision.Should().BeGreaterThan(0.9);
        n.Recall.Should().BeLessThan(0.5);
    }

    [Fact]
    public void Bad_input_is_rejected_naming_the_parameter_k_and_n()
    {
        Matrix four = Column(0, 1, 2, 3);
        Matrix three = Column(0, 1, 2);
        Matrix twoColumns = Matrix.FromArray(new float[,] { { 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 3 } });

        FluentActions.Invoking(() => PrecisionRecall.Compute(four, twoColumns)).Should().Throw<ArgumentException>().WithParameterName("generated").WithMessage("*4×1*4×2*");
        FluentActions.Invoking(() => PrecisionRecall.Compute(four, three)).Should().Throw<ArgumentException>().WithParameterName("generated").WithMessage("*n = 3*k = 3*");
        FluentActions.Invoking(() => PrecisionRecall.Compute(three, four)).Should().Throw<ArgumentException>().WithParameterName("real").WithMessage("*n = 3*k = 3*");
        FluentActions.Invoking(() => PrecisionRecall.Compute(four, Column(0, 1, float.NaN, 3))).Should().Throw<ArgumentException>().WithParameterName("generated").WithMessage("*[2, 0]*NaN*");
        FluentActions.Invoking(() => PrecisionRecall.Compute(Column(float.PositiveInfinity, 1, 2, 3), four)).Should().Throw<ArgumentException>().WithParameterName("real");
        FluentActions.Invoking(() => PrecisionRecall.Compute(four, four, k: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        FluentActions.Invoking(() => PrecisionRecall.NeighborRadii(three, 3)).Should().Throw<ArgumentException>().WithParameterName("samples").WithMessage("*n = 3*k = 3*");
    }

    public static TheoryData<int, int> NeighborsAndDimensions
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (int k in new[] { 1, 3, 5 })
            {
                foreach (int d in new[] { 1, 2, 3, 15, 17 })
                {
                    data.Add(k, d);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(NeighborsAndDimensions))]
    public void Every_width_returns_the_scalar_references_bits_at_every_tail_length(int k, int d)
    {
        // n = k + 1 .. k + 18 covers every remainder of the 8-, 16- and 32-row blocks of the vector paths and more;
        // the generated set has a different size. Three kinds of data: Gaussian (no ties), a small integer grid
        // (exact duplicates, ties in the radii, points exactly on ball boundaries), and generated points that are
        // copies of real points or lie exactly between two of them.
        var random = new RandomSource((ulong)(1000 + (10 * k) + d));
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                for (int n = k + 1; n <= k + 18; n++)
                {
                    int m = k + 1 + ((n * 7) % 19);
                    foreach (int kind in new[] { 0, 1, 2 })
                    {
                        Matrix real = Data(random, kind, n, d, null);
                        Matrix generated = Data(random, kind, m, d, real);
                        string context = $"width {width}, k = {k}, d = {d}, n = {n}, m = {m}, kind {kind}";

                        AssertBits(ReferenceRadii(real, k), PrecisionRecall.NeighborRadii(real, k), context);
                        AssertBits(ReferenceRadii(generated, k), PrecisionRecall.NeighborRadii(generated, k), context);
                        PrecisionRecallResult expected = ReferenceCompute(real, generated, k);
                        PrecisionRecallResult actual = PrecisionRecall.Compute(real, generated, k);
                        Assert.True(
                            Bits(expected.Precision) == Bits(actual.Precision) && Bits(expected.Recall) == Bits(actual.Recall),
                            $"{context}: expected {expected}, got {actual}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_width_returns_the_scalar_references_bits_on_large_sets_many_panels_and_strided_views()
    {
        // 1,000 × 15 against 700 × 15 (the sample's shape; the size differs so a swapped set would show; several L1
        // panels of rows, the last one partial), a 0..2 integer grid in 40-D (panels of 64 rows or fewer, and ties of
        // the squared distances, which are integers, across panels), and views whose row stride is wider than their
        // column count.
        var random = new RandomSource(77);
        Matrix real = Data(random, 2, 1000, 15, null);
        Matrix generated = Data(random, 2, 700, 15, real);
        var wide = new Matrix(300, 20);
        random.FillGaussian(wide.Span);
        Matrix viewA = wide.Slice(0, 3, 150, 15);
        Matrix viewB = wide.Slice(150, 2, 150, 15);
        Matrix grid = Data(random, 1, 300, 40, null);
        Matrix nearGrid = Data(random, 2, 250, 40, grid);
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using (KernelDispatch.Cap(width))
            {
                AssertBits(ReferenceRadii(real, 3), PrecisionRecall.NeighborRadii(real), $"width {width}");
                PrecisionRecall.Compute(real, generated).Should().Be(ReferenceCompute(real, generated, 3), $"width {width}");
                PrecisionRecall.Compute(generated, real, 5).Should().Be(ReferenceCompute(generated, real, 5), $"width {width}");
                AssertBits(ReferenceRadii(viewA, 3), PrecisionRecall.NeighborRadii(viewA), $"width {width}, view");
                PrecisionRecall.Compute(viewA, viewB).Should().Be(ReferenceCompute(viewA, viewB, 3), $"width {width}, view");
                AssertBits(ReferenceRadii(grid, 5), PrecisionRecall.NeighborRadii(grid, 5), $"width {width}, grid");
                PrecisionRecall.Compute(grid, nearGrid).Should().Be(ReferenceCompute(grid, nearGrid, 3), $"width {width}, grid");
            }
        }
    }

    /// <summary>kind 0: Gaussian; 1: integers in 0..2 (many duplicates and ties); 2: for a generated set, copies of real rows,
    /// midpoints of two real rows and Gaussian rows in turn (for a real set, Gaussian rows with every fourth row repeated).</summary>
    private static Matrix Data(RandomSource random, int kind, int rows, int columns, Matrix? real)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = m.Row(i);
            switch (kind)
            {
                case 0:
                    random.FillGaussian(row);
                    break;
                case 1:
                    for (int t = 0; t < columns; t++)
                    {
                        row[t] = random.NextInt32(3);
                    }

                    break;
                default:
                    if (real is null)
                    {
                        if (i % 4 == 3)
                        {
                            m.Row(i - 1).CopyTo(row);
                        }
                        else
                        {
                            random.FillGaussian(row);
                        }
                    }
                    else if (i % 3 == 0)
                    {
                        real.Row(random.NextInt32(real.Rows)).CopyTo(row);
                    }
                    else if (i % 3 == 1)
                    {
                        ReadOnlySpan<float> a = real.Row(random.NextInt32(real.Rows));
                        ReadOnlySpan<float> b = real.Row(random.NextInt32(real.Rows));
                        for (int t = 0; t < columns; t++)
                        {
                            row[t] = (a[t] + b[t]) / 2;
                        }
                    }
                    else
                    {
                        random.FillGaussian(row);
                    }

                    break;
            }
        }

        return m;
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    private static void AssertBits(double[] expected, double[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Bits(expected[i]) == Bits(actual[i]), $"{context}: radius {i} is {actual[i]:R}, the reference {expected[i]:R}");
        }
    }

    // The plain algorithm the library ran before it was vectorized, kept here as the reference: every pair in order,
    // diff = a[t] − b[t] and sum += diff·diff in double, the k smallest in a sorted k-slot buffer, j = i skipped.
    private static PrecisionRecallResult ReferenceCompute(Matrix real, Matrix generated, int k)
    {
        double[] realRadii = ReferenceSquaredRadii(real, k);
        double[] generatedRadii = ReferenceSquaredRadii(generated, k);
        return new PrecisionRecallResult(ReferenceShareInside(generated, real, realRadii), ReferenceShareInside(real, generated, generatedRadii));
    }

    private static double[] ReferenceRadii(Matrix set, int k) => [.. ReferenceSquaredRadii(set, k).Select(Math.Sqrt)];

    private static double[] ReferenceSquaredRadii(Matrix set, int k)
    {
        int n = set.Rows;
        var radii = new double[n];
        var nearest = new double[k];
        for (int i = 0; i < n; i++)
        {
            nearest.AsSpan().Fill(double.PositiveInfinity);
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double d2 = ReferenceSquaredDistance(set.Row(i), set.Row(j));
                if (d2 >= nearest[k - 1])
                {
                    continue;
                }

                int slot = k - 1;
                while (slot > 0 && nearest[slot - 1] > d2)
                {
                    nearest[slot] = nearest[slot - 1];
                    slot--;
                }

                nearest[slot] = d2;
            }

            radii[i] = nearest[k - 1];
        }

        return radii;
    }

    private static double ReferenceShareInside(Matrix points, Matrix centres, double[] squaredRadii)
    {
        int inside = 0;
        for (int i = 0; i < points.Rows; i++)
        {
            for (int j = 0; j < centres.Rows; j++)
            {
                if (ReferenceSquaredDistance(points.Row(i), centres.Row(j)) <= squaredRadii[j])
                {
                    inside++;
                    break;
                }
            }
        }

        return (double)inside / points.Rows;
    }

    private static double ReferenceSquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int t = 0; t < a.Length; t++)
        {
            double diff = (double)a[t] - b[t];
            sum += diff * diff;
        }

        return sum;
    }
}

using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tensors;
using QuadraticGan;

namespace GanCore.Samples.Tests;

public class QuadraticFamilyTests
{
    [Fact]
    public void X_is_linspace_minus_one_to_one_in_15_points()
    {
        QuadraticFamily.X.Length.Should().Be(15);
        for (int j = 0; j < 15; j++)
        {
            QuadraticFamily.X[j].Should().BeApproximately(-1f + (2f * j / 14f), 1e-7f);
        }

        QuadraticFamily.X[0].Should().Be(-1f);
        QuadraticFamily.X[7].Should().Be(0f);
        QuadraticFamily.X[14].Should().Be(1f);
    }

    [Fact]
    public void Samples_lie_between_x_squared_and_two_x_squared_plus_one_and_follow_the_family()
    {
        var rng = new RandomSource(3);
        const int count = 500;
        float[] buffer = new float[count * 15];
        QuadraticFamily.Sample(rng, buffer, count);

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> y = buffer.AsSpan(i * 15, 15);
            double a = y[7] + 1.0; // at x = 0, y = a - 1
            a.Should().BeInRange(1, 2);
            for (int j = 0; j < 15; j++)
            {
                double x = QuadraticFamily.GridPoint(j, 15);
                ((double)y[j]).Should().BeApproximately((a * x * x) + a - 1, 1e-5);
                ((double)y[j]).Should().BeInRange((x * x) - 1e-6, (2 * x * x) + 1 + 1e-6);
            }
        }
    }

    [Fact]
    public void Span_and_matrix_samplers_draw_the_same_curves_and_leave_the_tail_alone()
    {
        float[] buffer = new float[(4 * 15) + 3];
        buffer.AsSpan().Fill(-7f);
        QuadraticFamily.Sample(new RandomSource(5), buffer, 4);

        var matrix = new Matrix(4, 15);
        QuadraticFamily.Sample(new RandomSource(5), matrix);

        buffer.AsSpan(0, 60).ToArray().Should().Equal(matrix.Span.ToArray());
        buffer.AsSpan(60).ToArray().Should().Equal(-7f, -7f, -7f);
    }

    [Fact]
    public void Matrix_sampler_uses_the_grid_of_the_column_count_and_respects_the_stride()
    {
        var matrix = new Matrix(3, 5, stride: 8);
        QuadraticFamily.Sample(new RandomSource(9), matrix);
        for (int i = 0; i < 3; i++)
        {
            float[] row = matrix.Row(i).ToArray();
            double a = row[2] + 1.0; // x = {-1, -0.5, 0, 0.5, 1}
            row[0].Should().BeApproximately((float)((2 * a) - 1), 1e-6f);
            row[1].Should().BeApproximately((float)((1.25 * a) - 1), 1e-6f);
            row[4].Should().Be(row[0]);
        }
    }

    [Fact]
    public void Sampling_allocates_nothing()
    {
        var rng = new RandomSource(1);
        float[] buffer = new float[64 * 15];
        var matrix = new Matrix(64, 15);
        QuadraticFamily.Sample(rng, buffer, 64);
        QuadraticFamily.Sample(rng, matrix);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
        {
            QuadraticFamily.Sample(rng, buffer, 64);
            QuadraticFamily.Sample(rng, matrix);
        }

        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);
    }

    [Fact]
    public void Evaluate_writes_the_curve_of_a()
    {
        float[] y = new float[15];
        QuadraticFamily.Evaluate(1, y);
        for (int j = 0; j < 15; j++)
        {
            y[j].Should().BeApproximately(QuadraticFamily.X[j] * QuadraticFamily.X[j], 1e-6f);
        }
    }

    [Fact]
    public void The_flagship_grid_gives_the_bits_of_the_scalar_formula_at_every_point()
    {
        // The 15-point curve is computed eight and four points at a time in vectors; every float must be the one the
        // element-by-element formula (a·x·x) + (a − 1) in double gives, rounded once to float.
        var random = new RandomSource(31);
        float[] y = new float[15];
        double[] special = [1.0, 2.0, Math.BitDecrement(2.0), 1.5, -3.25, 1e-300, 1e300, 0.1];
        for (int t = 0; t < 20_000 + special.Length; t++)
        {
            double a = t < special.Length ? special[t] : random.NextUniform(-4.0, 4.0);
            QuadraticFamily.Evaluate(a, y);
            for (int j = 0; j < 15; j++)
            {
                double x = QuadraticFamily.GridPoint(j, 15);
                float expected = (float)((a * x * x) + (a - 1.0));
                BitConverter.SingleToInt32Bits(y[j]).Should().Be(BitConverter.SingleToInt32Bits(expected), "a = {0:R}, point {1}", a, j);
            }
        }
    }

    [Fact]
    public void Bad_arguments_throw_with_names_and_sizes()
    {
        var shortBuffer = () => QuadraticFamily.Sample(new RandomSource(1), new float[29], 2);
        shortBuffer.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*30*29*");

        var negative = () => QuadraticFamily.Sample(new RandomSource(1), new float[30], -1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");

        var nullRng = () => QuadraticFamily.Sample(null!, new float[15], 1);
        nullRng.Should().Throw<ArgumentNullException>().WithParameterName("rng");

        var oneColumn = () => QuadraticFamily.Sample(new RandomSource(1), new Matrix(2, 1));
        oneColumn.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*1*");

        var badA = () => QuadraticFamily.Evaluate(double.NaN, new float[15]);
        badA.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("a");

        var badIndex = () => QuadraticFamily.GridPoint(15, 15);
        badIndex.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index");
    }
}

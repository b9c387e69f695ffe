using GanCore.Randomness;
using MathNet.Numerics.Distributions;

namespace GanCore.Tests.Randomness;

/// <summary>
/// Reproducibility, saved state, ranges and distribution checks for <see cref="RandomSource"/>. Every statistical
/// check uses a fixed seed, so it is deterministic; its bound is still an honest one, so that a broken generator
/// fails: moments must lie within <see cref="Z"/> standard errors of their true value (a correct generator
/// exceeds 5σ with probability below 6e-7), and chi-square statistics below the 0.999 quantile.
/// </summary>
public class RandomSourceTests
{
    private const double Z = 5.0;
    private const double ChiSquareQuantile = 0.999;

    [Fact]
    public void Seeding_is_SplitMix64_and_the_generator_is_xoshiro256starstar()
    {
        // Published SplitMix64 outputs for state 0, and xoshiro256** outputs for the state {1, 2, 3, 4}
        // (the first two also follow by hand: rotl(2·5, 7)·9 = 11520; then s1 becomes 0, so the next output is 0).
        new RandomSource(0).GetState().Should().Be(new RandomSourceState(0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC, false, 0));
        var rng = new RandomSource(new RandomSourceState(1, 2, 3, 4, false, 0));
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600];
        expected.Select(_ => rng.NextUInt64()).ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Equal_seeds_give_equal_sequences_and_different_seeds_differ()
    {
        var a = new RandomSource(42);
        var b = new RandomSource(42);
        var c = new RandomSource(43);
        var sa = Enumerable.Range(0, 1000).Select(_ => a.NextUInt64()).ToArray();
        var sb = Enumerable.Range(0, 1000).Select(_ => b.NextUInt64()).ToArray();
        var sc = Enumerable.Range(0, 1000).Select(_ => c.NextUInt64()).ToArray();
        sb.Should().Equal(sa);
        sc.Zip(sa).Count(p => p.First == p.Second).Should().Be(0);

        var ga = new RandomSource(7);
        var gb = new RandomSource(7);
        var fa = new float[333];
        var fb = new float[333];
        ga.FillGaussian(fa, 1f, 2f);
        gb.FillGaussian(fb, 1f, 2f);
        fb.Should().Equal(fa);
    }

    [Fact]
    public void FillGaussian_equals_one_NextGaussian_per_element_at_every_length_with_and_without_a_pending_spare()
    {
        // FillGaussian draws its pairs in blocks (all (u, v, s) first, then the factors); the values, the stream position and
        // the spare left behind must be exactly those of the element-by-element definition, across block boundaries too.
        foreach (bool pendingSpare in new[] { false, true })
        {
            for (int n = 0; n <= 300; n += n < 140 ? 1 : 37)
            {
                var block = new RandomSource(99 + (ulong)n);
                var single = new RandomSource(99 + (ulong)n);
                if (pendingSpare)
                {
                    block.NextGaussian();
                    single.NextGaussian();
                }

                var filled = new float[n];
                block.FillGaussian(filled, -0.25f, 1.5f);
                var expected = new float[n];
                for (int i = 0; i < n; i++)
                {
                    expected[i] = (float)(-0.25f + (1.5f * single.NextGaussian()));
                }

                filled.Should().Equal(expected, "n = {0}, pending spare {1}", n, pendingSpare);
                block.GetState().Should().Be(single.GetState(), "n = {0}, pending spare {1}", n, pendingSpare);
            }
        }
    }

    [Fact]
    public void Saved_state_repeats_the_sequence_exactly_including_a_pending_spare_Gaussian()
    {
        var rng = new RandomSource(2024);
        rng.NextGaussian(); // one of a pair: the second is now pending
        RandomSourceState saved = rng.GetState();
        saved.HasSpareGaussian.Should().BeTrue();
        double[] first = Draw(rng);

        rng.SetState(saved);
        Draw(rng).Should().Equal(first);
        Draw(new RandomSource(saved)).Should().Equal(first);

        // The pending spare is part of the state: dropping it changes the very next Gaussian.
        var withoutSpare = new RandomSource(saved with { HasSpareGaussian = false, SpareGaussian = 0 });
        withoutSpare.NextGaussian().Should().NotBe(first[0]);
        first[0].Should().Be(saved.SpareGaussian);

        static double[] Draw(RandomSource r) =>
        [
            r.NextGaussian(), r.NextGaussian(), r.NextGaussian(), r.NextDouble(), r.NextInt32(1000),
            r.NextSingle(), r.NextUniform(-3, 5), r.NextGaussian(10, 0.5), r.NextUInt64(),
        ];
    }

    [Fact]
    public void State_without_a_spare_round_trips_and_restores_no_spare()
    {
        var rng = new RandomSource(5);
        rng.NextGaussian();
        rng.NextGaussian(); // the pair is used up
        RandomSourceState saved = rng.GetState();
        saved.HasSpareGaussian.Should().BeFalse();
        saved.SpareGaussian.Should().Be(0);
        double next = rng.NextGaussian();

        var other = new RandomSource(99);
        other.NextGaussian(); // other has a spare pending; SetState must discard it
        other.SetState(saved);
        other.NextGaussian().Should().Be(next);
        other.GetState().Should().Be(rng.GetState());
    }

    [Fact]
    public void Invalid_states_are_rejected()
    {
        var zero = new RandomSourceState(0, 0, 0, 0, false, 0);
        FluentActions.Invoking(() => new RandomSource(zero)).Should().Throw<ArgumentException>().WithParameterName("state");
        FluentActions.Invoking(() => new RandomSource(1).SetState(zero)).Should().Throw<ArgumentException>().WithParameterName("state");
        FluentActions.Invoking(() => new RandomSource(new RandomSourceState(1, 0, 0, 0, true, double.NaN))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new RandomSource(new RandomSourceState(1, 0, 0, 0, true, double.PositiveInfinity))).Should().Throw<ArgumentException>();

        // One non-zero word is enough, and a rejected SetState leaves the generator unchanged.
        var rng = new RandomSource(new RandomSourceState(0, 0, 0, 1, false, 0));
        RandomSourceState before = rng.GetState();
        FluentActions.Invoking(() => rng.SetState(zero)).Should().Throw<ArgumentException>();
        rng.GetState().Should().Be(before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(1 << 30)]
    [InlineData(int.MaxValue)]
    public void NextInt32_stays_in_range(int maxExclusive)
    {
        var rng = new RandomSource(31);
        int min = int.MaxValue, max = -1;
        for (int i = 0; i < 20_000; i++)
        {
            int x = rng.NextInt32(maxExclusive);
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        min.Should().BeGreaterThanOrEqualTo(0);
        max.Should().BeLessThan(maxExclusive);

        if (maxExclusive <= 1000)
        {
            max.Should().Be(maxExclusive - 1, "20000 draws reach the top value of a small range");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void NextInt32_rejects_a_non_positive_bound(int maxExclusive)
    {
        FluentActions.Invoking(() => new RandomSource(1).NextInt32(maxExclusive)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(10, 10)]            // every value its own bin
    [InlineData(3, 3)]
    [InlineData(int.MaxValue, 16)]  // 2^31 − 1: 16 equal-width bins
    [InlineData(1_500_000_001, 12)] // a range near 2^32/3, where modulo reduction would be visibly biased
    public void NextInt32_is_uniform_by_chi_square(int maxExclusive, int bins)
    {
        const int draws = 120_000;
        var rng = new RandomSource(1234);
        var counts = new long[bins];
        for (int i = 0; i < draws; i++)
        {
            counts[(int)((long)rng.NextInt32(maxExclusive) * bins / maxExclusive)]++;
        }

        // Expected count per bin from the exact bin widths.
        double chi = 0;
        for (int b = 0; b < bins; b++)
        {
            long lo = (((long)b * maxExclusive) + bins - 1) / bins;
            long hi = ((((long)b + 1) * maxExclusive) + bins - 1) / bins;
            double expected = draws * (double)(hi - lo) / maxExclusive;
            chi += (counts[b] - expected) * (counts[b] - expected) / expected;
        }

        double critical = ChiSquared.InvCDF(bins - 1, ChiSquareQuantile);
        chi.Should().BeLessThan(critical, "χ² with {0} degrees of freedom; counts {1}", bins - 1, string.Join(", ", counts));
    }

    [Fact]
    public void NextDouble_and_NextSingle_are_in_the_unit_interval_with_the_right_mean()
    {
        const int n = 200_000;
        var rng = new RandomSource(77);
        double sumD = 0, sumS = 0, minD = 1, maxD = 0;
        float maxS = 0;
        for (int i = 0; i < n; i++)
        {
            double d = rng.NextDouble();
            float s = rng.NextSingle();
            if (!(d >= 0 && d < 1 && s >= 0 && s < 1))
            {
                Assert.Fail($"draw {i}: NextDouble {d:R}, NextSingle {s:R} outside [0, 1).");
            }

            sumD += d;
            sumS += s;
            minD = Math.Min(minD, d);
            maxD = Math.Max(maxD, d);
            maxS = Math.Max(maxS, s);
        }

        double standardError = Math.Sqrt(1.0 / 12 / n); // U(0,1) has variance 1/12
        Math.Abs((sumD / n) - 0.5).Should().BeLessThan(Z * standardError);
        Math.Abs((sumS / n) - 0.5).Should().BeLessThan(Z * standardError);
        minD.Should().BeLessThan(1e-4);
        maxD.Should().BeGreaterThan(1 - 1e-4);
        maxS.Should().BeGreaterThan(1 - 1e-4f);
    }

    [Fact]
    public void Gaussian_moments_match_the_standard_normal()
    {
        // For N(0,1): E x = 0, E x² = 1, E x³ = 0, E x⁴ = 3, and the variances of x, x², x³, x⁴ are 1, 2, 15, 96
        // (E x⁶ = 15, E x⁸ = 105), which give the standard errors of the sample moments below.
        const int n = 200_000;
        var rng = new RandomSource(8);
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        int within1 = 0;
        for (int i = 0; i < n; i++)
        {
            double x = rng.NextGaussian();
            double x2 = x * x;
            s1 += x;
            s2 += x2;
            s3 += x2 * x;
            s4 += x2 * x2;
            if (Math.Abs(x) < 1)
            {
                within1++;
            }
        }

        (s1 / n).Should().BeApproximately(0, Z * Math.Sqrt(1.0 / n), "mean");
        (s2 / n).Should().BeApproximately(1, Z * Math.Sqrt(2.0 / n), "second moment");
        (s3 / n).Should().BeApproximately(0, Z * Math.Sqrt(15.0 / n), "third moment (skewness)");
        (s4 / n).Should().BeApproximately(3, Z * Math.Sqrt(96.0 / n), "fourth moment (kurtosis)");
        const double p1 = 0.6826894921370859; // P(|x| < 1)
        ((double)within1 / n).Should().BeApproximately(p1, Z * Math.Sqrt(p1 * (1 - p1) / n), "share within one σ");
    }

    [Fact]
    public void Gaussian_with_mean_and_deviation_is_shifted_and_scaled()
    {
        const int n = 100_000;
        var rng = new RandomSource(9);
        var values = new float[n];
        rng.FillGaussian(values, -3f, 0.5f);
        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        mean.Should().BeApproximately(-3, Z * 0.5 / Math.Sqrt(n));
        variance.Should().BeApproximately(0.25, Z * 0.25 * Math.Sqrt(2.0 / n));

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += rng.NextGaussian(10, 2);
        }

        (sum / n).Should().BeApproximately(10, Z * 2 / Math.Sqrt(n));
        new RandomSource(1).NextGaussian(4, 0).Should().Be(4, "σ = 0 is allowed and returns the mean");
    }

    [Theory]
    [InlineData(-1f, 1f)]
    [InlineData(0f, 1e-30f)]
    [InlineData(1e6f, 1.0000001e6f)]
    [InlineData(-5f, -4.999f)]
    [InlineData(-3e38f, 3e38f)]
    public void FillUniform_stays_in_the_half_open_interval(float low, float high)
    {
        var rng = new RandomSource(11);
        var values = new float[50_000];
        rng.FillUniform(values, low, high);
        values.Should().OnlyContain(v => v >= low && v < high);
        values.Distinct().Count().Should().BeGreaterThan(1);
    }

    [Fact]
    public void FillUniform_between_neighbouring_floats_returns_the_lower_one_and_an_empty_interval_its_bound()
    {
        var rng = new RandomSource(12);
        var values = new float[10_000];
        rng.FillUniform(values, 1f, MathF.BitIncrement(1f));
        values.Should().OnlyContain(v => v == 1f);
        rng.FillUniform(values, 2.5f, 2.5f);
        values.Should().OnlyContain(v => v == 2.5f);
    }

    [Fact]
    public void FillUniform_is_uniform_by_chi_square()
    {
        const int n = 100_000, bins = 20;
        var rng = new RandomSource(13);
        var values = new float[n];
        rng.FillUniform(values, -2f, 3f);
        var counts = new int[bins];
        foreach (float v in values)
        {
            counts[(int)((v + 2f) / 5f * bins)]++;
        }

        double expected = (double)n / bins;
        double chi = counts.Sum(c => (c - expected) * (c - expected) / expected);
        chi.Should().BeLessThan(ChiSquared.InvCDF(bins - 1, ChiSquareQuantile));
    }

    [Fact]
    public void NextUniform_never_returns_the_open_upper_bound()
    {
        // [1, 1 + 2^-52): low + (high − low)·u rounds up to high for u > 1/2 unless the result is clamped.
        var rng = new RandomSource(14);
        double high = Math.BitIncrement(1.0);
        int atHigh = 0;
        for (int i = 0; i < 1000; i++)
        {
            double x = rng.NextUniform(1.0, high);
            atHigh += x == 1.0 ? 0 : 1;
        }

        atHigh.Should().Be(0, "the only double in [1, 1 + 2^-52) is 1");

        double min = double.MaxValue, max = double.MinValue;
        for (int i = 0; i < 10_000; i++)
        {
            double x = rng.NextUniform(-7.5, 2.25);
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        min.Should().BeGreaterThanOrEqualTo(-7.5).And.BeLessThan(-7.4);
        max.Should().BeLessThan(2.25).And.BeGreaterThan(2.15);

        rng.NextUniform(3, 3).Should().Be(3);
    }

    [Fact]
    public void NextUniform_over_the_whole_double_range_stays_finite_and_inside()
    {
        // high − low overflows to +∞ here; the draw must still be a finite value in [low, high) on both sides of 0.
        var rng = new RandomSource(17);
        int negative = 0, positive = 0;
        for (int i = 0; i < 10_000; i++)
        {
            double x = rng.NextUniform(-double.MaxValue, double.MaxValue);
            if (!(double.IsFinite(x) && x < double.MaxValue))
            {
                Assert.Fail($"draw {i} is {x:R}.");
            }

            negative += x < 0 ? 1 : 0;
            positive += x > 0 ? 1 : 0;
        }

        negative.Should().BeInRange(4_500, 5_500);
        positive.Should().BeInRange(4_500, 5_500);
    }

    [Fact]
    public void Shuffle_is_a_permutation_and_every_order_is_about_equally_likely()
    {
        var rng = new RandomSource(15);
        int[] items = Enumerable.Range(0, 100).ToArray();
        rng.Shuffle(items.AsSpan());
        items.Order().Should().Equal(Enumerable.Range(0, 100));
        items.Should().NotEqual(Enumerable.Range(0, 100), "a shuffle of 100 items is not the identity (probability 1/100!)");

        rng.Shuffle(Span<int>.Empty);
        int[] one = [5];
        rng.Shuffle(one.AsSpan());
        one.Should().Equal(5);

        // All 24 orders of 4 items, 48 000 shuffles: χ² with 23 degrees of freedom.
        const int shuffles = 48_000;
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < shuffles; i++)
        {
            char[] order = ['a', 'b', 'c', 'd'];
            rng.Shuffle(order.AsSpan());
            string key = new(order);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        counts.Should().HaveCount(24);
        double expected = shuffles / 24.0;
        double chi = counts.Values.Sum(c => (c - expected) * (c - expected) / expected);
        chi.Should().BeLessThan(ChiSquared.InvCDF(23, ChiSquareQuantile));
    }

    [Fact]
    public void Non_finite_bounds_and_bad_deviations_are_rejected()
    {
        var rng = new RandomSource(16);
        var buffer = new float[4];
        FluentActions.Invoking(() => rng.NextUniform(double.NaN, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("low");
        FluentActions.Invoking(() => rng.NextUniform(double.NegativeInfinity, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("low");
        FluentActions.Invoking(() => rng.NextUniform(0, double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");
        FluentActions.Invoking(() => rng.NextUniform(0, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");
        FluentActions.Invoking(() => rng.NextUniform(1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");
        FluentActions.Invoking(() => rng.FillUniform(buffer, float.NaN, 1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("low");
        FluentActions.Invoking(() => rng.FillUniform(buffer, 0f, float.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");
        FluentActions.Invoking(() => rng.FillUniform(buffer, 2f, 1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");
        FluentActions.Invoking(() => rng.NextGaussian(0, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => rng.NextGaussian(0, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => rng.NextGaussian(0, double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => rng.NextGaussian(double.NaN, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mean");
        FluentActions.Invoking(() => rng.FillGaussian(buffer, 0f, -0.1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => rng.FillGaussian(buffer, float.PositiveInfinity, 1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mean");
        buffer.Should().OnlyContain(v => v == 0f, "a rejected call writes nothing");
    }

    [Fact]
    public void Vectorized_Gaussian_moments_and_tails_match_the_standard_normal()
    {
        // As for NextGaussian: moments within Z standard errors, and the shares within 1σ, 2σ and 3σ, plus a
        // Kolmogorov–Smirnov distance against Φ below its 0.999 critical value 1.95/√n.
        const int n = 200_000;
        var values = new float[n];
        new RandomSource(18).FillGaussianVectorized(values);
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        int[] within = new int[3];
        foreach (float v in values)
        {
            double x = v;
            double x2 = x * x;
            s1 += x;
            s2 += x2;
            s3 += x2 * x;
            s4 += x2 * x2;
            for (int k = 0; k < 3; k++)
            {
                within[k] += Math.Abs(x) < k + 1 ? 1 : 0;
            }
        }

        (s1 / n).Should().BeApproximately(0, Z * Math.Sqrt(1.0 / n), "mean");
        (s2 / n).Should().BeApproximately(1, Z * Math.Sqrt(2.0 / n), "second moment");
        (s3 / n).Should().BeApproximately(0, Z * Math.Sqrt(15.0 / n), "third moment (skewness)");
        (s4 / n).Should().BeApproximately(3, Z * Math.Sqrt(96.0 / n), "fourth moment (kurtosis)");
        double[] p = [0.6826894921370859, 0.9544997361036416, 0.9973002039367398];
        for (int k = 0; k < 3; k++)
        {
            ((double)within[k] / n).Should().BeApproximately(p[k], Z * Math.Sqrt(p[k] * (1 - p[k]) / n), "share within {0}σ", k + 1);
        }

        double[] sorted = values.Select(v => (double)v).Order().ToArray();
        double ks = 0;
        for (int i = 0; i < n; i++)
        {
            double cdf = Normal.CDF(0, 1, sorted[i]);
            ks = Math.Max(ks, Math.Max(cdf - ((double)i / n), ((i + 1.0) / n) - cdf));
        }

        ks.Should().BeLessThan(1.95 / Math.Sqrt(n), "Kolmogorov–Smirnov distance to the standard normal");
        values.Should().OnlyContain(v => float.IsFinite(v) && MathF.Abs(v) <= 6.67f);
    }

    [Fact]
    public void Vectorized_Gaussian_is_the_same_at_every_width_consumes_whole_blocks_and_cuts_the_last_one()
    {
        // The reference: 32 values per block of 16 draws, at the widest width, then every length 0..70 at every width
        // must be a prefix of it and leave the generator exactly 16·⌈n/32⌉ draws further on.
        var whole = new float[96];
        new RandomSource(19).FillGaussianVectorized(whole);
        foreach (GanCore.Kernels.VectorWidth width in GanCore.Tests.Kernels.KernelWidths.Available)
        {
            using (GanCore.Kernels.KernelDispatch.Cap(width))
            {
                for (int n = 0; n <= 70; n++)
                {
                    var rng = new RandomSource(19);
                    var values = new float[n];
                    rng.FillGaussianVectorized(values);
                    for (int i = 0; i < n; i++)
                    {
                        if (width == GanCore.Kernels.VectorWidth.Scalar)
                        {
                            // One lane at a time uses MathF.Log and MathF.SinCos, which may differ in the last bit.
                            values[i].Should().BeApproximately(whole[i], 2e-6f * (1 + MathF.Abs(whole[i])), "value {0} of {1}, width {2}", i, n, width);
                        }
                        else
                        {
                            BitConverter.SingleToInt32Bits(values[i]).Should().Be(BitConverter.SingleToInt32Bits(whole[i]), "value {0} of {1}, width {2}", i, n, width);
                        }
                    }

                    var advanced = new RandomSource(19);
                    for (int k = 0; k < 16 * ((n + 31) / 32); k++)
                    {
                        advanced.NextUInt64();
                    }

                    rng.NextUInt64().Should().Be(advanced.NextUInt64(), "{0} values consume {1} draws", n, 16 * ((n + 31) / 32));
                }
            }
        }
    }

    [Fact]
    public void Vectorized_Gaussian_pairs_are_the_Box_Muller_transform_of_one_draw_and_scale_exactly()
    {
        // Draw d gives u1 = (d >> 32 + 1)/2³², u2 = ((d >> 8) mod 2²⁴)/2²⁴, and the pair (r cos 2πu2, r sin 2πu2) at
        // positions j and 16 + j of its block, r = √(−2 ln u1); checked in double against the float result.
        var values = new float[32];
        new RandomSource(20).FillGaussianVectorized(values);
        var draws = new RandomSource(20);
        for (int j = 0; j < 16; j++)
        {
            ulong d = draws.NextUInt64();
            double u1 = (float)((d >> 32) + 1) / 4294967296.0;
            double u2 = ((d >> 8) & 0xFF_FFFF) / 16777216.0;
            double r = Math.Sqrt(-2 * Math.Log(u1));
            ((double)values[j]).Should().BeApproximately(r * Math.Cos(2 * Math.PI * u2), 1e-5 * (1 + r), "cosine {0}", j);
            ((double)values[16 + j]).Should().BeApproximately(r * Math.Sin(2 * Math.PI * u2), 1e-5 * (1 + r), "sine {0}", j);
        }

        // mean + σ·z with one fused multiply-add, so the scaled fill is exactly FMA(σ, z, mean) of the standard one.
        var scaled = new float[45];
        new RandomSource(21).FillGaussianVectorized(scaled, 3f, 2f);
        var standard = new float[45];
        new RandomSource(21).FillGaussianVectorized(standard);
        for (int i = 0; i < 45; i++)
        {
            scaled[i].Should().Be(MathF.FusedMultiplyAdd(2f, standard[i], 3f), "value {0}", i);
        }

        var rng = new RandomSource(22);
        var buffer = new float[5];
        FluentActions.Invoking(() => rng.FillGaussianVectorized(buffer, 0f, -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");
        FluentActions.Invoking(() => rng.FillGaussianVectorized(buffer, float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mean");
        buffer.Should().OnlyContain(v => v == 0f, "a rejected call writes nothing");
    }
}

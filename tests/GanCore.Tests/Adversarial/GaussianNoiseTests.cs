using FluentAssertions;
using GanCore.Adversarial;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>GaussianNoise's two sampling methods: which stream each draws, and that the batch layout does not change it.</summary>
public class GaussianNoiseTests
{
    [Fact]
    public void Polar_is_the_default_and_draws_the_per_element_NextGaussian_stream()
    {
        new GaussianNoise(5).Sampling.Should().Be(GaussianSampling.Polar);
        var batch = new Matrix(64, 5);
        new GaussianNoise(5, 2f).Fill(batch, new RandomSource(3));

        // 0.1.0's stream: one NextGaussian per element in row order, scaled by σ (odd rows leave a spare for the next row).
        var reference = new RandomSource(3);
        for (int i = 0; i < batch.Span.Length; i++)
        {
            batch.Span[i].Should().Be((float)(2.0 * reference.NextGaussian()), $"element {i}");
        }
    }

    [Fact]
    public void Polar_gives_the_same_values_for_a_strided_batch()
    {
        var contiguous = new Matrix(9, 5);
        new GaussianNoise(5).Fill(contiguous, new RandomSource(4));
        var wide = new Matrix(9, 8);
        Matrix view = wide.Slice(0, 2, 9, 5);
        new GaussianNoise(5).Fill(view, new RandomSource(4));
        for (int i = 0; i < 9; i++)
        {
            view.Row(i).ToArray().Should().Equal(contiguous.Row(i).ToArray());
        }
    }

    [Fact]
    public void BoxMuller_draws_FillGaussianVectorized_over_the_whole_batch_whatever_its_stride()
    {
        var noise = new GaussianNoise(5, 1.5f, GaussianSampling.BoxMuller);
        noise.Sampling.Should().Be(GaussianSampling.BoxMuller);
        var contiguous = new Matrix(64, 5);
        noise.Fill(contiguous, new RandomSource(5));
        var expected = new float[64 * 5];
        new RandomSource(5).FillGaussianVectorized(expected, 0f, 1.5f);
        contiguous.Span.ToArray().Should().Equal(expected);

        var wide = new Matrix(64, 7);
        Matrix view = wide.Slice(0, 1, 64, 5);
        noise.Fill(view, new RandomSource(5));
        for (int i = 0; i < 64; i++)
        {
            view.Row(i).ToArray().Should().Equal(contiguous.Row(i).ToArray(), $"row {i}");
            wide[i, 0].Should().Be(0f, "columns outside the view stay untouched");
            wide[i, 6].Should().Be(0f);
        }

        // A different stream from the polar method.
        var polar = new Matrix(64, 5);
        new GaussianNoise(5, 1.5f).Fill(polar, new RandomSource(5));
        polar.Span.ToArray().Should().NotEqual(expected);
    }

    [Fact]
    public void BoxMuller_samples_have_the_requested_moments()
    {
        var batch = new Matrix(4096, 5);
        new GaussianNoise(5, 2f, GaussianSampling.BoxMuller).Fill(batch, new RandomSource(6));
        double mean = batch.Span.ToArray().Average(v => (double)v);
        double variance = batch.Span.ToArray().Average(v => (v - mean) * (v - mean));

        // 20,480 samples: the standard error of the mean is 2/√20480 ≈ 0.014, of the variance about 4·√(2/20480) ≈ 0.04.
        mean.Should().BeApproximately(0, 0.06);
        variance.Should().BeApproximately(4, 0.16);
    }

    [Fact]
    public void An_unknown_sampling_method_is_rejected() =>
        FluentActions.Invoking(() => new GaussianNoise(5, 1f, (GaussianSampling)7))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sampling");
}

using BenchmarkDotNet.Attributes;
using GanCore.Adversarial;
using GanCore.Kernels;
using Mixtures;

namespace GanCore.Benchmarks;

/// <summary>
/// One training step of the Mixtures sample on its grid (G 2→128→128→2, D 2→128→128→1, batch 256, Adam 1e-3 with
/// β1 = 0.5), for each recipe docs/mixtures.md weighs against mode collapse, built by the sample's own
/// <c>Experiment.Build</c>, on one thread. A step is D's update(s) then G's. The ratio column is each recipe's step in
/// units of the plain recipe's, measured in the same run: what the hinge loss and the generator's moving average, R1's
/// second backward pass, the power iterations of spectral normalization, extra D updates and the WGAN-GP penalty's
/// extra forward pass and second backward pass cost.
/// </summary>
[MemoryDiagnoser]
public class MixturesStepBenchmarks
{
    /// <summary>Steps each GAN trains in setup, so every buffer has its final size and the moving average has started.</summary>
    public const int WarmupSteps = 20;

    private Gan _gan = null!;

    /// <summary>
    /// The sample's settings for each benchmark, by method name, on the grid: <see cref="Plain"/> the original preset's;
    /// the others the tuned preset's (hinge loss, the generator's moving average, 20,000 steps) with R1 and the spectral
    /// normalization each set explicitly, so a benchmark measures the same recipe whichever of them the preset holds.
    /// </summary>
    internal static MixtureSettings SettingsFor(string benchmark)
    {
        MixtureSettings tuned = MixtureSettings.ForPreset("tuned", "grid");
        return benchmark switch
        {
            nameof(Plain) => MixtureSettings.ForPreset("original", "grid"),
            nameof(HingeAndEma) => tuned with { R1Gamma = 0f, SpectralNormLayers = SpectralNormLayers.None },
            nameof(R1) => tuned with { R1Gamma = 1f, SpectralNormLayers = SpectralNormLayers.None },
            nameof(SpectralNormHidden) => tuned with { R1Gamma = 0f, SpectralNormLayers = SpectralNormLayers.Hidden },
            nameof(SpectralNormAllThreeUpdates) => tuned with { R1Gamma = 0f, SpectralNormLayers = SpectralNormLayers.All, DiscriminatorSteps = 3 },
            nameof(WassersteinFiveUpdates) => MixtureSettings.ForPreset("original", "grid") with { Objective = GanObjective.Wasserstein, DiscriminatorSteps = 5 },
            nameof(WganGp) => MixtureSettings.ForPreset("original", "grid") with { Objective = GanObjective.Wasserstein, DiscriminatorSteps = 5, GradientPenaltyWeight = 10f },
            _ => throw new ArgumentException($"No Mixtures recipe for benchmark '{benchmark}'.", nameof(benchmark)),
        };
    }

    /// <summary>Builds the <see cref="Plain"/> recipe's GAN on the grid and trains it <see cref="WarmupSteps"/> steps.</summary>
    [GlobalSetup(Target = nameof(Plain))]
    public void SetupPlain() => Build(nameof(Plain));

    /// <summary>Builds the <see cref="HingeAndEma"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(HingeAndEma))]
    public void SetupHingeAndEma() => Build(nameof(HingeAndEma));

    /// <summary>Builds the <see cref="R1"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(R1))]
    public void SetupR1() => Build(nameof(R1));

    /// <summary>Builds the <see cref="SpectralNormHidden"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(SpectralNormHidden))]
    public void SetupSpectralNormHidden() => Build(nameof(SpectralNormHidden));

    /// <summary>Builds the <see cref="SpectralNormAllThreeUpdates"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(SpectralNormAllThreeUpdates))]
    public void SetupSpectralNormAllThreeUpdates() => Build(nameof(SpectralNormAllThreeUpdates));

    /// <summary>Builds the <see cref="WassersteinFiveUpdates"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(WassersteinFiveUpdates))]
    public void SetupWassersteinFiveUpdates() => Build(nameof(WassersteinFiveUpdates));

    /// <summary>Builds the <see cref="WganGp"/> recipe's GAN.</summary>
    [GlobalSetup(Target = nameof(WganGp))]
    public void SetupWganGp() => Build(nameof(WganGp));

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>Builds the named recipe's GAN with the sample's <c>Experiment.Build</c>, on one thread, and trains it <see cref="WarmupSteps"/> steps.</summary>
    private void Build(string benchmark)
    {
        Gemm.MaxDegreeOfParallelism = 1;
        _gan = Experiment.Build(SettingsFor(benchmark), MixtureDataset.Grid());
        _gan.Train(WarmupSteps);
    }

    /// <summary><c>--dataset grid --preset original</c>: non-saturating loss, one D update, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public GanStepMetrics Plain() => _gan.Step();

    /// <summary><c>--dataset grid --preset tuned --r1 0 --spectral-norm none</c>: the hinge loss and the generator's moving average alone.</summary>
    [Benchmark]
    public GanStepMetrics HingeAndEma() => _gan.Step();

    /// <summary><c>--dataset grid --preset tuned --r1 1 --spectral-norm none</c>: with the R1 penalty γ = 1 on every D update (its second backward pass).</summary>
    [Benchmark]
    public GanStepMetrics R1() => _gan.Step();

    /// <summary><c>--dataset grid --preset tuned --r1 0 --spectral-norm hidden</c>: with D's two hidden layers normalized, one D update.</summary>
    [Benchmark]
    public GanStepMetrics SpectralNormHidden() => _gan.Step();

    /// <summary><c>--dataset grid --preset tuned --r1 0 --spectral-norm all --d-steps 3</c>: all three of D's layers normalized, three D updates.</summary>
    [Benchmark]
    public GanStepMetrics SpectralNormAllThreeUpdates() => _gan.Step();

    /// <summary><c>--dataset grid --objective wasserstein --d-steps 5</c>: the critic's loss and five D updates, no penalty (WGAN-GP's step without its penalty).</summary>
    [Benchmark]
    public GanStepMetrics WassersteinFiveUpdates() => _gan.Step();

    /// <summary><c>--dataset grid --objective wasserstein --d-steps 5 --gp 10</c>: with the WGAN-GP penalty on every D update (one more forward pass of D and the two passes R1 also takes).</summary>
    [Benchmark]
    public GanStepMetrics WganGp() => _gan.Step();
}

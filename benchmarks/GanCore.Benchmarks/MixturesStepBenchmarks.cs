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
/// second backward pass, the power iterations of spectral normalization and extra D updates cost.
/// </summary>
[MemoryDiagnoser]
public class MixturesStepBenchmarks
{
    /// <summary>Steps each GAN trains in setup, so every buffer has its final size and the moving average has started.</summary>
    public const int WarmupSteps = 20;

    private readonly Dictionary<string, Gan> _gans = [];

    /// <summary>
    /// The sample's settings for each benchmark, by method name: the grid's tuned preset (hinge loss, the generator's
    /// moving average, 20,000 steps) with R1 and the spectral normalization each set explicitly, so a benchmark measures
    /// the same recipe whichever of them the preset holds.
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
            _ => throw new ArgumentException($"No Mixtures recipe for benchmark '{benchmark}'.", nameof(benchmark)),
        };
    }

    /// <summary>Builds each recipe's GAN on the grid and trains it <see cref="WarmupSteps"/> steps.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Gemm.MaxDegreeOfParallelism = 1;
        foreach (string name in new[] { nameof(Plain), nameof(HingeAndEma), nameof(R1), nameof(SpectralNormHidden), nameof(SpectralNormAllThreeUpdates) })
        {
            Gan gan = Experiment.Build(SettingsFor(name), MixtureDataset.Grid());
            gan.Train(WarmupSteps);
            _gans[name] = gan;
        }
    }

    /// <summary>Restores the default thread count for whatever runs next in the same process.</summary>
    [GlobalCleanup]
    public void Cleanup() => Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary><c>--preset original</c>: non-saturating loss, one D update, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public GanStepMetrics Plain() => _gans[nameof(Plain)].Step();

    /// <summary><c>--preset tuned --r1 0 --spectral-norm none</c>: the hinge loss and the generator's moving average alone.</summary>
    [Benchmark]
    public GanStepMetrics HingeAndEma() => _gans[nameof(HingeAndEma)].Step();

    /// <summary><c>--preset tuned --r1 1 --spectral-norm none</c>: with the R1 penalty γ = 1 on every D update (its second backward pass).</summary>
    [Benchmark]
    public GanStepMetrics R1() => _gans[nameof(R1)].Step();

    /// <summary><c>--preset tuned --r1 0 --spectral-norm hidden</c>: with D's two hidden layers normalized, one D update.</summary>
    [Benchmark]
    public GanStepMetrics SpectralNormHidden() => _gans[nameof(SpectralNormHidden)].Step();

    /// <summary><c>--preset tuned --r1 0 --spectral-norm all --d-steps 3</c>: all three of D's layers normalized, three D updates.</summary>
    [Benchmark]
    public GanStepMetrics SpectralNormAllThreeUpdates() => _gans[nameof(SpectralNormAllThreeUpdates)].Step();
}

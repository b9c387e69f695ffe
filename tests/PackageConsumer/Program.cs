// A consumer of the GanCore NuGet package: trains a small GAN on a 1-D Gaussian and checks what it learned.
// Exit code 0 and a final "package-smoke: OK" line mean the package works from the outside.
using System.Globalization;
using System.Reflection;
using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const float RealMean = 3f;
const float RealStd = 0.5f;
int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;

string? informationalVersion = typeof(Gan).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
Console.WriteLine($"GanCore assembly {informationalVersion}, from the package given by GanCoreVersion");

var rng = new RandomSource(7);
var g = new Sequential(new Dense(4, 16, rng), new ReLU(), new Dense(16, 1, rng));
var d = new Sequential(new Dense(1, 32, rng), new ReLU(), new Dense(32, 1, rng));
var real = new DelegateSampler(1, (batch, r) => r.FillGaussian(batch.Span, RealMean, RealStd));
var gan = new Gan(
    g,
    d,
    new Adam(g.Parameters, 2e-3f, beta1: 0.5f),
    new Adam(d.Parameters, 2e-3f, beta1: 0.5f),
    new GaussianNoise(4),
    real,
    rng,
    new GanOptions { Objective = GanObjective.NonSaturating });

// The methods the JIT compiled on this thread while training: a few dozen when the app's build precompiled GanCore's
// kernels (GanCoreReadyToRun), a few hundred when they come from the package's IL.
long compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
GanTrainingResult result = gan.Train(steps, m =>
{
    if (m.Step % 100 == 0)
    {
        Console.WriteLine($"step {m.Step,5}: mean D(x) {m.MeanRealScore:F3}  D score {m.DiscriminatorScore:F3}");
    }
});
Console.WriteLine($"jit: {System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - compiledBefore} methods compiled on the training thread during Train");

Matrix samples = gan.Generate(4000);
double mean = 0;
for (int i = 0; i < samples.Rows; i++)
{
    mean += samples[i, 0];
}

mean /= samples.Rows;
double variance = 0;
for (int i = 0; i < samples.Rows; i++)
{
    variance += (samples[i, 0] - mean) * (samples[i, 0] - mean);
}

double std = Math.Sqrt(variance / (samples.Rows - 1));
Console.WriteLine($"after {result.StepsCompleted} steps: generated mean {mean:F3} (real {RealMean}), std {std:F3} (real {RealStd}), mean D(x) {result.Last.MeanRealScore:F3}");

bool ok = result.StepsCompleted == steps
    && Math.Abs(mean - RealMean) < 0.5
    && std > 0.1 && std < 1.5
    && result.Last.MeanRealScore is > 0.2f and < 0.8f;

if (GettingStartedDoc.TryRun())
{
    Console.WriteLine("docs/getting-started.md: every code block compiled and ran");
}

Console.WriteLine(ok ? "package-smoke: OK" : "package-smoke: FAILED (the GAN did not learn N(3, 0.5²))");
return ok ? 0 : 1;

/// <summary>The code blocks of docs/getting-started.md, when .ci/package-smoke.sh has generated them in.</summary>
internal static partial class GettingStartedDoc
{
    /// <summary>Runs the documentation's code if it was generated into this build.</summary>
    /// <returns>True when it ran.</returns>
    public static bool TryRun()
    {
        bool ran = false;
        Run(ref ran);
        return ran;
    }

    // Implemented in GettingStartedDoc.cs, which .ci/package-smoke.sh writes from the doc's ```csharp blocks.
    static partial void Run(ref bool ran);
}

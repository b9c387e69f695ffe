using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

// Outside the GanCore namespaces on purpose: the snippet must compile the way it does in a user's program.
namespace DocsSnippets;

/// <summary>The README's "Train your first GAN" snippet compiles, runs, and does what it says.</summary>
public class ReadmeSnippetTests
{
    [Fact]
    public void Readme_snippet_is_the_code_in_this_file()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ReadmeSnippetTests.cs.txt"));
        int fence = readme.IndexOf("```csharp\n", StringComparison.Ordinal);
        fence.Should().BeGreaterThan(0, "the README has a C# snippet");
        string snippet = readme[(fence + 10)..readme.IndexOf("```", fence + 10, StringComparison.Ordinal)];
        string[] readmeLines = snippet.Split('\n').Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

        int begin = source.LastIndexOf("// README-BEGIN", StringComparison.Ordinal);
        int end = source.LastIndexOf("// README-END", StringComparison.Ordinal);
        string[] testLines = source[begin..end].Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        testLines.Should().Equal(readmeLines);
    }

    [Fact]
    public void Readme_snippet_learns_the_gaussian()
    {
        var console = new StringWriter();
        TextWriter original = Console.Out;
        Matrix samples;
        try
        {
            Console.SetOut(console);
            samples = RunSnippet();
        }
        finally
        {
            Console.SetOut(original);
        }

        console.ToString().Should().Contain("step 3000: mean D(x)");
        double mean = samples.Span.ToArray().Average();
        double std = Math.Sqrt(samples.Span.ToArray().Select(v => (v - mean) * (v - mean)).Sum() / (samples.Rows - 1));

        // "should look like N(3, 0.5²)": mean within 0.15 and std within 0.15 of the target, at this fixed seed.
        mean.Should().BeApproximately(3.0, 0.15);
        std.Should().BeApproximately(0.5, 0.15);
    }

    private static Matrix RunSnippet()
    {
        // README-BEGIN
        var rng = new RandomSource(1);
        var g = new Sequential(new Dense(4, 32, rng), new ReLU(), new Dense(32, 1, rng));
        var d = new Sequential(new Dense(1, 32, rng), new ReLU(), new Dense(32, 1, rng)); // ends in a logit
        var real = new DelegateSampler(1, (batch, r) => r.FillGaussian(batch.Span, 3f, 0.5f)); // N(3, 0.5²)
        var gan = new Gan(g, d, new Adam(g.Parameters, 2e-3f, beta1: 0.5f), new Adam(d.Parameters, 2e-3f, beta1: 0.5f),
                          new GaussianNoise(4), real, rng, new GanOptions { Objective = GanObjective.NonSaturating });
        gan.Train(3000, m => { if (m.Step % 1000 == 0) Console.WriteLine($"step {m.Step}: mean D(x) {m.MeanRealScore:F3}"); });
        var samples = gan.Generate(1000); // 1000 draws that should look like N(3, 0.5²)
        Console.WriteLine($"first sample {samples[0, 0]:F3}");

        // README-END
        return samples;
    }
}

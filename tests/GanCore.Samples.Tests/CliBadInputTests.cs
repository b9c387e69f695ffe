using QuadraticGan;

namespace GanCore.Samples.Tests;

/// <summary>The sample CLI rejects each bad option with exit code 2 and an error line that names the option.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliBadInputTests
{
    [Theory]
    [InlineData("--steps", "-1")]
    [InlineData("--batch", "0")]
    [InlineData("--lr-g", "0")]
    [InlineData("--lr-g", "NaN")]
    [InlineData("--lr-d", "-1")]
    [InlineData("--lr-d", "Infinity")]
    [InlineData("--beta1", "1")]
    [InlineData("--beta1", "NaN")]
    [InlineData("--lr-final", "0")]
    [InlineData("--lr-final", "NaN")]
    [InlineData("--d-steps", "0")]
    [InlineData("--real-label", "0.5")]
    [InlineData("--real-label", "NaN")]
    [InlineData("--noise-dim", "0")]
    [InlineData("--hidden", "-3")]
    [InlineData("--samples", "0")]
    [InlineData("--checkpoint-every", "-1")]
    [InlineData("--threads", "0")]
    [InlineData("--objective", "wasserstein")]
    [InlineData("--noise", "cauchy")]
    [InlineData("--preset", "fast")]
    [InlineData("--batch", "many")]
    public void A_bad_option_exits_with_2_and_names_the_option(string option, string value)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gancore-badcli-{Guid.NewGuid():N}");
        TextWriter saved = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        int code;
        try
        {
            code = Cli.Run([option, value, "--quiet", "--no-plots", "--out", output]);
        }
        finally
        {
            Console.SetError(saved);
        }

        code.Should().Be(Cli.ExitBadInput);
        error.ToString().Should().Contain(option);
        Directory.Exists(output).Should().BeFalse("bad input is rejected before anything is written");
    }

    [Theory]
    [InlineData("--samples", "0")]
    [InlineData("--samples", "-5")]
    [InlineData("--noise", "cauchy")]
    [InlineData("--seed", "-1")]
    public void A_bad_generate_option_exits_with_2_and_names_the_option(string option, string value)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gancore-badcli-{Guid.NewGuid():N}");
        TextWriter saved = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        int code;
        try
        {
            code = Cli.Run(["generate", "--checkpoint", Path.Combine(output, "missing.ckpt"), option, value, "--out", output]);
        }
        finally
        {
            Console.SetError(saved);
        }

        code.Should().Be(Cli.ExitBadInput);
        error.ToString().Should().Contain(option);
    }
}

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
    [InlineData("--beta2", "1")]
    [InlineData("--beta2", "-0.1")]
    [InlineData("--beta2", "NaN")]
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
        (int code, string error) = ConsoleCapture.Error(() => Cli.Run([option, value, "--quiet", "--no-plots", "--out", output]));

        code.Should().Be(Cli.ExitBadInput);
        error.Should().Contain(option);
        Directory.Exists(output).Should().BeFalse("bad input is rejected before anything is written");
    }

    [Theory]
    [InlineData("quadratic", "--steps", "abc", "--steps takes a whole number up to 2147483647 (got 'abc')")]
    [InlineData("quadratic", "--batch", "2.5", "--batch takes a whole number up to 2147483647 (got '2.5')")]
    [InlineData("quadratic", "--seed", "-1", "--seed takes a whole number from 0 to 18446744073709551615 (got '-1')")]
    [InlineData("quadratic", "--seed", "99999999999999999999", "--seed takes a whole number from 0 to 18446744073709551615 (got '99999999999999999999')")]
    [InlineData("quadratic", "--lr-g", "fast", "--lr-g takes a number with a decimal point, such as 0.5 or 1e-4 (got 'fast')")]
    [InlineData("quadratic", "--lr-d", "1,5", "--lr-d takes a number with a decimal point, such as 0.5 or 1e-4 (got '1,5')")]
    [InlineData("mixtures", "--steps", "many", "--steps takes a whole number up to 2147483647 (got 'many')")]
    [InlineData("mixtures", "--r1", "strong", "--r1 takes a number with a decimal point, such as 0.5 or 1e-4 (got 'strong')")]
    [InlineData("mixtures", "--ema", "0,999", "--ema takes a number with a decimal point, such as 0.5 or 1e-4 (got '0,999')")]
    [InlineData("classifier", "--epochs", "x", "--epochs takes a whole number up to 2147483647 (got 'x')")]
    [InlineData("theory", "--steps", "1e3", "--steps takes a whole number up to 9223372036854775807 (got '1e3')")]
    public void A_value_of_the_wrong_type_is_named_with_what_the_option_takes(string sample, string option, string value, string expected)
    {
        string[] args = [option, value, "--no-plots"];
        (int code, string error) = ConsoleCapture.Error(() => sample switch
        {
            "quadratic" => Cli.Run(args),
            "mixtures" => global::Mixtures.Cli.Run(args),
            "classifier" => global::Classifier.Cli.Run(args),
            _ => global::GanTheory.Cli.Run(args),
        });

        code.Should().Be(Cli.ExitBadInput);
        error.Trim().Should().Be($"error: {expected} (see --help)", "the message says what the option takes, not the .NET type System.CommandLine names");
    }

    [Theory]
    [InlineData("--samples", "0")]
    [InlineData("--samples", "-5")]
    [InlineData("--noise", "cauchy")]
    [InlineData("--seed", "-1")]
    public void A_bad_generate_option_exits_with_2_and_names_the_option(string option, string value)
    {
        string output = Path.Combine(Path.GetTempPath(), $"gancore-badcli-{Guid.NewGuid():N}");
        (int code, string error) = ConsoleCapture.Error(() => Cli.Run(["generate", "--checkpoint", Path.Combine(output, "missing.ckpt"), option, value, "--out", output]));

        code.Should().Be(Cli.ExitBadInput);
        error.Should().Contain(option);
    }
}

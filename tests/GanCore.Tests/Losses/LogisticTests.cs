using GanCore.Losses;

namespace GanCore.Tests.Losses;

/// <summary><c>Logistic.SigmoidAndSoftplus</c> writes max(l, 0) out by hand (precompiled code that calls
/// <c>MathF.Max</c> is refused at run time); it must give the bits <c>MathF.Max</c> gives. A NaN logit must give NaN;
/// which of two NaNs an x86 add returns depends on the operand order the JIT picks, so its payload and sign may differ.</summary>
public sealed class LogisticTests
{
    [Fact]
    public void Softplus_gives_the_bits_of_MathF_Max_plus_LogP1_for_every_kind_of_logit()
    {
        var rng = new Random(45);
        var logits = new List<float> { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-30f, -1e-30f };
        logits.Add(BitConverter.Int32BitsToSingle(0x7FA00001)); // a signalling NaN with a payload
        for (int i = 0; i < 20_000; i++)
        {
            logits.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-40, 8))));
        }

        foreach (float l in logits)
        {
            float e = MathF.Exp(-MathF.Abs(l));
            float expected = MathF.Max(l, 0f) + float.LogP1(e);
            float actual = Logistic.SigmoidAndSoftplus(l).Softplus;
            if (float.IsNaN(l))
            {
                float.IsNaN(actual).Should().BeTrue($"softplus of a NaN (0x{BitConverter.SingleToInt32Bits(l):X8}) is NaN");
                continue;
            }

            BitConverter.SingleToInt32Bits(actual).Should().Be(BitConverter.SingleToInt32Bits(expected), $"softplus({l:R}) (0x{BitConverter.SingleToInt32Bits(l):X8})");
        }
    }
}

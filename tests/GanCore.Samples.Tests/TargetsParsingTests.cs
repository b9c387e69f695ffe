using Targets;

namespace GanCore.Samples.Tests;

/// <summary>tools/Targets reads the tables and key=value lines the measurement tools print, and judges the figures.
/// The lines below are copies of what gemm-ratios, TorchSharpComparison and StepWarmup printed in the twenty-sixth
/// session; CI's targets-smoke step runs the first and the last themselves.</summary>
public class TargetsParsingTests
{
    private static readonly string[] s_gemmOutput =
    [
        "// CPU: AMD EPYC, family 26 model 2; 2 logical processors; 2026-12-02 23:35 UTC; load 1.60",
        "| shape | threads | GanCore µs (best) | OpenBLAS µs (best) | GanCore GFLOP/s | OpenBLAS GFLOP/s | ratio best | ratio median | settle ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| AB 64x5x128 | 1 | 0.48 | 0.54 | 171.3 | 150.6 | 1.14 | 1.09 | 405 |",
        "| AB 512x512x512 | 2 | 674.90 | 858.70 | 397.7 | 312.6 | 1.27 | 1.32 | 746 |",
    ];

    [Fact]
    public void Gemm_rows_are_read_by_column_name()
    {
        List<GemmRow> rows = GemmRow.Read(s_gemmOutput);

        rows.Should().HaveCount(2);
        rows[0].Should().Be(new GemmRow("AB 64x5x128", 1, 0.48, 1.14, 1.09, 0));
        rows[1].Should().Be(new GemmRow("AB 512x512x512", 2, 674.90, 1.27, 1.32, 512));
    }

    [Fact]
    public void Gemm_columns_in_another_order_give_the_same_rows()
    {
        string[] moved =
        [
            "| shape | ratio median | threads | ratio best | GanCore µs (best) |",
            "|---|---|---|---|---|",
            "| AB 512x512x512 | 1.32 | 2 | 1.27 | 674.90 |",
        ];

        GemmRow.Read(moved).Should().Equal(new GemmRow("AB 512x512x512", 2, 674.90, 1.27, 1.32, 512));
    }

    [Fact]
    public void A_dropped_gemm_column_is_an_error_that_names_it()
    {
        string[] lines = s_gemmOutput.Select(l => string.Join('|', l.Split('|').Where((_, i) => i != 8))).ToArray();

        Action read = () => GemmRow.Read(lines);

        read.Should().Throw<FormatException>().WithMessage("*'ratio median'*");
    }

    [Fact]
    public void No_gemm_table_at_all_is_an_error()
    {
        Action read = () => GemmRow.Read(["// OpenBLAS core: Cooperlake", "nothing else"]);

        read.Should().Throw<FormatException>().WithMessage("*'shape' column*");
    }

    [Fact]
    public void Without_OpenBLAS_the_ratios_are_NaN_not_an_error()
    {
        string[] lines =
        [
            s_gemmOutput[1],
            s_gemmOutput[2],
            "| AB 64x5x128 | 1 | 0.48 | NaN | 171.3 | NaN | NaN | NaN | 405 |",
        ];

        GemmRow row = GemmRow.Read(lines).Single();

        double.IsNaN(row.RatioMedian).Should().BeTrue();
        row.GanCoreMicroseconds.Should().Be(0.48);
    }

    [Fact]
    public void A_cell_that_is_not_a_number_is_an_error_that_shows_it()
    {
        string[] lines = [s_gemmOutput[1], s_gemmOutput[2], "| AB 64x5x128 | 1 | fast | 0.54 | 171.3 | 150.6 | 1.14 | 1.09 | 405 |"];

        Action read = () => GemmRow.Read(lines);

        read.Should().Throw<FormatException>().WithMessage("*'fast'*GanCore µs (best)*");
    }

    [Fact]
    public void A_row_with_a_cell_too_few_is_an_error_not_a_row_less()
    {
        string[] lines = [s_gemmOutput[1], s_gemmOutput[2], s_gemmOutput[3], "| AB 64x15x128 | 1 | 1.26 | 1.28 | 195.1 | 191.5 | 1.02 | 200 |"];

        Action read = () => GemmRow.Read(lines);

        read.Should().Throw<FormatException>().WithMessage("*8 cells under a header of 9*");
    }

    [Theory]
    [InlineData(1.94, "yes, and the goal")]
    [InlineData(2.0, "yes, and the goal")]
    [InlineData(2.01, "yes")]
    [InlineData(2.5, "yes")]
    [InlineData(2.51, "**no**")]
    public void A_ratio_is_judged_against_its_target_and_goal(double median, string verdict) =>
        Verdict.AtMost(median, 2.5, goal: 2.0).Should().Be(verdict);

    [Fact]
    public void A_target_without_a_goal_is_met_or_not() =>
        new[] { Verdict.AtMost(1.99, 2.0), Verdict.AtMost(2.01, 2.0) }.Should().Equal("yes", "**no**");

    [Fact]
    public void Every_figure_must_reach_the_limit_and_none_at_all_is_no_pass()
    {
        Verdict.AllAtLeast([1.02, 2.68, 1.0], 1.0).Should().Be("yes");
        Verdict.AllAtLeast([1.02, 0.99, 2.0], 1.0).Should().Be("**no**");
        Verdict.AllAtLeast([], 1.0).Should().Be("**no**");
        Verdict.AllAtLeast([double.NaN], 1.0).Should().Be("**no**");
    }

    [Fact]
    public void TorchSharp_rows_drop_their_units()
    {
        string[] lines =
        [
            "| h, batch | GanCore µs/step (median) | GanCore best | share of FMA peak (median) | TorchSharp µs/step (median) | TorchSharp best | GanCore's lead (medians) | lead (bests) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            "| 256, 512 | 254 | 254 | 63.0% | 1796 | 1782 | 7.07× | 7.02× |",
            "| 2048, 1024 | 5722 | 5697 | 44.7% | 181874 | 131144 | 31.78× | 23.02× |",
        ];

        TorchRow.Read(lines).Should().Equal(new TorchRow(256, 63.0, 7.07, 7.02), new TorchRow(2048, 44.7, 31.78, 23.02));
    }

    [Fact]
    public void A_StepWarmup_line_gives_both_ratios()
    {
        const string output = "first=36.2 steady=19.7 steadyMedian=18.6 cpuFirst=36.3 cpuSteady=19.7 pairedStep=18.7 floor=9.60 step1=7232 cpuStep1=7.3 jitStep1=0.2 jitFirst=0.2 methodsStep1=2 build=8264 settle=41909\n";

        WarmupSample s = WarmupSample.Parse(output);

        s.WallRatio.Should().BeApproximately(36.2 / 18.6, 1e-12);
        s.FloorRatio.Should().BeApproximately(18.7 / 9.60, 1e-12);
        s.Step1Microseconds.Should().Be(7232);
        s.Cpu.Should().Be(-1, "a line from before the forty-first session names no CPU");
    }

    [Fact]
    public void A_StepWarmup_line_names_the_CPU_of_its_steps()
    {
        WarmupSample s = WarmupSample.Parse("first=38.8 steady=20.1 steadyMedian=19.5 pairedStep=19.0 floor=9.83 step1=8460 settle=52113 cpu=1 cpuShare=0.98\n");

        s.Cpu.Should().Be(1);
        s.CpuShare.Should().Be(0.98);
    }

    [Fact]
    public void The_first_steps_after_step_1_are_reported_against_the_steady_step_when_every_child_printed_them()
    {
        WarmupSample a = WarmupSample.Parse("first=34.4 steady=19.0 steadyMedian=18.2 restMedian=19.8 pairedStep=18.3 floor=9.50 step1=6987 cpu=1 cpuShare=1.00\n");
        WarmupSample b = WarmupSample.Parse("first=36.0 steady=19.6 steadyMedian=18.4 restMedian=20.3 pairedStep=18.5 floor=9.60 step1=7400 cpu=0 cpuShare=1.00\n");
        WarmupSample old = WarmupSample.Parse("first=36.2 steady=19.7 steadyMedian=18.6 pairedStep=18.7 floor=9.60 step1=7232\n");

        a.RestMedian.Should().Be(19.8);
        double.IsNaN(old.RestMedian).Should().BeTrue("a line from before the forty-second session has no restMedian");
        Measurement.RestOfFirst([a, b]).Should().Be(", steps 2–500 median 20.1 (19.8–20.3) µs, median 1.10 (1.09–1.10) of the steady step");
        Measurement.RestOfFirst([a, old]).Should().BeEmpty("one child did not say");
    }

    [Fact]
    public void StepWarmup_figures_are_split_by_CPU_only_when_the_processes_ran_on_more_than_one()
    {
        WarmupSample Sample(double step, int cpu, double share = 1) => new(First: 2 * step, SteadyMedian: step, PairedStep: step, Floor: 10, Step1Microseconds: 9000, Cpu: cpu, CpuShare: share);

        Measurement.ByCpu([Sample(19.5, 1), Sample(19.7, 1), Sample(20, -1)]).Should().BeNull("one CPU known");
        Measurement.ByCpu([Sample(19.5, 1), Sample(25, 0, share: 0.5)]).Should().Contain("CPU 1: 1 process(es)")
            .And.Contain("1 process(es) moved between CPUs");
        string? split = Measurement.ByCpu([Sample(25.0, 0), Sample(19.5, 1), Sample(26.0, 0), Sample(20, -1), Sample(22, 1, share: 0.6)]);

        split.Should().NotBeNull();
        split.Should().Contain("CPU 0: 2 process(es), step / floor median 2.55 (2.50–2.60), steady step median 25.5 (25.0–26.0) µs, floor 10.00 µs, first 500 / steady 2.00")
            .And.Contain("CPU 1: 1 process(es), step / floor 1.95, steady step 19.5 µs")
            .And.Contain("1 process(es) moved between CPUs")
            .And.NotContain("CPU -1");
    }

    [Fact]
    public void A_step_1_that_compiled_GanCore_is_named_and_a_precompiled_one_is_not()
    {
        WarmupSample Sample(int methods) => new(First: 40, SteadyMedian: 20, PairedStep: 20, Floor: 10, Step1Microseconds: 9000, Cpu: 1, CpuShare: 1, MethodsStep1: methods);

        WarmupSample.Parse("first=36.2 steady=19.7 steadyMedian=18.6 pairedStep=18.7 floor=9.60 step1=7232 methodsStep1=12\n").MethodsStep1.Should().Be(12);
        WarmupSample.Parse("first=36.2 steady=19.7 steadyMedian=18.6 pairedStep=18.7 floor=9.60 step1=7232\n").MethodsStep1.Should().Be(-1, "an older line has no count");

        Measurement.NotPrecompiled([Sample(2), Sample(3), Sample(14)], simulated: null).Should().BeNull("the v4 image compiles 2–3 framework methods, the v3 and v2 images 12–14");
        Measurement.NotPrecompiled([Sample(2), Sample(Measurement.PrecompiledStep1Methods + 1), Sample(-1)], simulated: null).Should().BeNull("one child did not say");
        Measurement.NotPrecompiled([Sample(2), Sample(345), Sample(351)], simulated: null).Should().Contain("step 1 compiled 345 methods")
            .And.Contain("IL build");
        SimulatedHost avx2 = SimulatedHost.From(name => name == "DOTNET_EnableAVX512" ? "0" : null, intelCpu: true)!;
        Measurement.NotPrecompiled([Sample(345)], avx2).Should().Contain("-p:GanCoreInstructionSet=x86-64-v3 for DOTNET_EnableAVX512=0");
        Measurement.NotPrecompiled([Sample(345)], SimulatedHost.From(name => name == "DOTNET_EnableAVX2" ? "0" : null, intelCpu: true)).Should().Contain("-p:GanCoreInstructionSet=x86-64-v2-avx for DOTNET_EnableAVX2=0");
    }

    [Fact]
    public void A_runtime_switch_names_the_host_it_simulates_and_holds_libtorch_to_it()
    {
        SimulatedHost? From(params string[] zeros) => SimulatedHost.From(name => zeros.Contains(name) ? "0" : name == "DOTNET_EnableAVX512" ? "1" : null, intelCpu: true);

        From().Should().BeNull("DOTNET_EnableAVX512=1 switches nothing off");
        SimulatedHost avx2 = From("DOTNET_EnableAVX512")!;
        avx2.BuildProperty.Should().Be("GanCoreInstructionSet=x86-64-v3");
        avx2.LibTorchEnvironment.Should().Contain("ATEN_CPU_CAPABILITY", "avx2").And.Contain("MKL_ENABLE_INSTRUCTIONS", "AVX2").And.Contain("DNNL_MAX_CPU_ISA", "AVX2");
        SimulatedHost avxOnly = From("DOTNET_EnableAVX2", "DOTNET_EnableAVX512")!;
        avxOnly.BuildProperty.Should().Be("GanCoreInstructionSet=x86-64-v2-avx", "a build on AVX without AVX2 makes the v2-avx image");
        avxOnly.Switch.Should().Be("DOTNET_EnableAVX2=0");
        avxOnly.LibTorchEnvironment.Should().Contain("ATEN_CPU_CAPABILITY", "default").And.Contain("MKL_ENABLE_INSTRUCTIONS", "AVX").And.Contain("DNNL_MAX_CPU_ISA", "AVX");
        SimulatedHost noAvx = From("DOTNET_EnableAVX", "DOTNET_EnableAVX2", "DOTNET_EnableAVX512")!;
        noAvx.BuildProperty.Should().Be("GanCoreInstructionSet=x86-64-v2", "the narrowest switch wins");
        noAvx.Switch.Should().Be("DOTNET_EnableAVX=0");
        noAvx.LibTorchEnvironment.Should().Contain("ATEN_CPU_CAPABILITY", "default").And.Contain("DNNL_MAX_CPU_ISA", "SSE41").And.NotContainKey("MKL_CBWR", "on an Intel CPU MKL_ENABLE_INSTRUCTIONS holds MKL to SSE4.2");
        new[] { avx2, avxOnly, noAvx }.Select(h => h.BaselineCaveat).Should().AllBeEquivalentTo<string?>(null, "on an Intel CPU every cap holds");
    }

    [Fact]
    public void On_a_CPU_not_Intel_s_MKL_is_held_for_the_host_without_AVX_and_the_others_say_it_is_not()
    {
        // MKL ignores MKL_ENABLE_INSTRUCTIONS on other vendors' CPUs (Intel's documentation): on a Zen 4 torch.mm ran at
        // 93.5 GFLOP/s under the SSE caps, twice the SSE peak; MKL_CBWR=COMPATIBLE held it to 40.2 (fifty-third session).
        SimulatedHost? From(params string[] zeros) => SimulatedHost.From(name => zeros.Contains(name) ? "0" : null, intelCpu: false);

        SimulatedHost noAvx = From("DOTNET_EnableAVX", "DOTNET_EnableAVX2", "DOTNET_EnableAVX512")!;
        noAvx.LibTorchEnvironment.Should().Contain("MKL_CBWR", "COMPATIBLE").And.Contain("MKL_ENABLE_INSTRUCTIONS", "SSE4_2");
        noAvx.BaselineCaveat.Should().BeNull("the SSE2 branch is held on any CPU");
        foreach (SimulatedHost wider in new[] { From("DOTNET_EnableAVX2")!, From("DOTNET_EnableAVX512")! })
        {
            wider.LibTorchEnvironment.Should().NotContainKey("MKL_CBWR", "COMPATIBLE would hold MKL to SSE2, narrower than the host simulated");
            wider.BaselineCaveat.Should().Be(SimulatedHost.UnheldMkl);
        }
    }

    [Fact]
    public void A_lead_short_of_its_target_against_a_baseline_not_held_is_not_judged()
    {
        var wide = new TorchRow(2048, 48.9, 3.53, 3.45);
        var narrow = new TorchRow(256, 56.6, 2.90, 2.86);
        Measurement.TorchRows(wide, narrow, baselineHeld: true).Select(r => r.Met).Should().Equal("yes", Verdict.No);
        Measurement.TorchRows(wide, narrow, baselineHeld: false).Select(r => r.Met).Should().Equal("yes", "not judged: the baseline was not held (see above)");
        Measurement.TorchRows(wide with { PeakShare = 29.9 }, narrow with { LeadMedian = 4.0 }, baselineHeld: false).Select(r => r.Met)
            .Should().Equal([Verdict.No, "yes"], "the share of peak does not depend on the baseline, and a lead met against a faster one stands");
        Measurement.TorchRows(wide with { LeadMedian = 1.4 }, narrow, baselineHeld: false)[0].Met.Should().StartWith("not judged");
    }

    [Fact]
    public void A_StepWarmup_line_without_a_field_is_an_error_that_names_it()
    {
        Action parse = () => WarmupSample.Parse("first=36.2 steady=19.7 pairedStep=18.7 floor=9.60 step1=7232");

        parse.Should().Throw<FormatException>().WithMessage("*'steadyMedian='*");
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0, 1.0, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5, 1.0, 4.0)]
    [InlineData(new[] { 5.0 }, 5.0, 5.0, 5.0)]
    public void Summary_is_the_median_and_the_range(double[] values, double median, double low, double high) =>
        Summary.Of(values).Should().Be(new Summary(median, low, high));

    [Fact]
    public void Summary_of_nothing_is_an_error() =>
        FluentActions.Invoking(() => Summary.Of([])).Should().Throw<ArgumentException>();
}

using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Adversarial;

/// <summary>The composer rejects parts that do not fit, with the documented exception and the parameter named.</summary>
public class ConstructionTests
{
    private readonly RandomSource _random = new(3);

    private Sequential Net(params int[] widths)
    {
        var layers = new List<Layer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            if (i > 0)
            {
                layers.Add(new ReLU());
            }

            layers.Add(new Dense(widths[i], widths[i + 1], _random));
        }

        return new Sequential(layers);
    }

    private Gan Build(Sequential g, Sequential d, INoiseSource? noise = null, IRealDataSampler? data = null, Optimizer? gOptimizer = null, Optimizer? dOptimizer = null, GanOptions? options = null) => new(
        g,
        d,
        gOptimizer ?? new Adam(g.Parameters),
        dOptimizer ?? new Adam(d.Parameters),
        noise ?? new GaussianNoise(g.InputSize),
        data ?? new DelegateSampler(d.InputSize, (_, _) => { }),
        _random,
        options);

    private static void ShouldName<T>(Action build, string parameter, string messagePart)
        where T : ArgumentException
    {
        T e = build.Should().ThrowExactly<T>().Which;
        e.ParamName.Should().Be(parameter);
        e.Message.Should().Contain(parameter).And.Contain(messagePart);
    }

    [Fact]
    public void A_valid_set_of_parts_builds()
    {
        Gan gan = Build(Net(5, 8, 15), Net(15, 8, 1));
        gan.StepCount.Should().Be(0);
        gan.Options.Should().Be(new GanOptions());
    }

    [Fact]
    public void Generator_output_width_must_match_discriminator_input_width() =>
        ShouldName<ArgumentException>(() => Build(Net(5, 8, 14), Net(15, 8, 1), data: new DelegateSampler(15, (_, _) => { })), "discriminator", "width 14");

    [Fact]
    public void Noise_dimension_must_match_generator_input_width() =>
        ShouldName<ArgumentException>(() => Build(Net(5, 8, 15), Net(15, 8, 1), noise: new GaussianNoise(4)), "noise", "dimension 4");

    [Fact]
    public void Real_data_dimension_must_match_discriminator_input_width() =>
        ShouldName<ArgumentException>(() => Build(Net(5, 8, 15), Net(15, 8, 1), data: new DelegateSampler(16, (_, _) => { })), "realData", "dimension 16");

    [Fact]
    public void Discriminator_must_output_one_logit() =>
        ShouldName<ArgumentException>(() => Build(Net(5, 8, 15), Net(15, 8, 2)), "discriminator", "width 2");

    [Fact]
    public void Generator_and_discriminator_must_be_different_models()
    {
        Sequential same = Net(3, 3);
        var build = () => new Gan(same, same, new Adam(same.Parameters), new Adam(same.Parameters), new GaussianNoise(3), new DelegateSampler(3, (_, _) => { }), _random);
        build.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("discriminator");
    }

    [Fact]
    public void Optimizers_must_cover_exactly_their_own_networks_parameters()
    {
        Sequential g = Net(5, 8, 15), d = Net(15, 8, 1);
        ShouldName<ArgumentException>(() => Build(g, d, gOptimizer: new Adam(d.Parameters)), "generatorOptimizer", "generator");
        ShouldName<ArgumentException>(() => Build(g, d, dOptimizer: new Adam(g.Parameters)), "discriminatorOptimizer", "discriminator");
        ShouldName<ArgumentException>(() => Build(g, d, dOptimizer: new Adam(d.Parameters.Take(2))), "discriminatorOptimizer", "discriminator");
    }

    [Theory]
    [InlineData("BatchSize", 0)]
    [InlineData("BatchSize", -3)]
    [InlineData("DiscriminatorSteps", 0)]
    [InlineData("RealLabel", 0.4)]
    [InlineData("RealLabel", 0.5)]
    [InlineData("RealLabel", 1.01)]
    [InlineData("RealLabel", double.NaN)]
    [InlineData("Objective", 7)]
    [InlineData("Schedule", 9)]
    public void Invalid_options_throw_ArgumentOutOfRange_naming_the_option(string option, double value)
    {
        GanOptions options = option switch
        {
            "BatchSize" => new GanOptions { BatchSize = (int)value },
            "DiscriminatorSteps" => new GanOptions { DiscriminatorSteps = (int)value },
            "RealLabel" => new GanOptions { RealLabel = (float)value },
            "Objective" => new GanOptions { Objective = (GanObjective)(int)value },
            _ => new GanOptions { Schedule = (GanSchedule)(int)value },
        };

        ShouldName<ArgumentOutOfRangeException>(() => Build(Net(5, 8, 15), Net(15, 8, 1), options: options), option, option);
    }

    [Fact]
    public void Null_parts_throw_ArgumentNullException_naming_the_part()
    {
        Sequential g = Net(2, 2), d = Net(2, 1);
        var gOpt = new Adam(g.Parameters);
        var dOpt = new Adam(d.Parameters);
        var noise = new GaussianNoise(2);
        var data = new DelegateSampler(2, (_, _) => { });
        ((Action)(() => _ = new Gan(null!, d, gOpt, dOpt, noise, data, _random))).Should().Throw<ArgumentNullException>().WithParameterName("generator");
        ((Action)(() => _ = new Gan(g, null!, gOpt, dOpt, noise, data, _random))).Should().Throw<ArgumentNullException>().WithParameterName("discriminator");
        ((Action)(() => _ = new Gan(g, d, gOpt, dOpt, null!, data, _random))).Should().Throw<ArgumentNullException>().WithParameterName("noise");
        ((Action)(() => _ = new Gan(g, d, gOpt, dOpt, noise, null!, _random))).Should().Throw<ArgumentNullException>().WithParameterName("realData");
        ((Action)(() => _ = new Gan(g, d, gOpt, dOpt, noise, data, null!))).Should().Throw<ArgumentNullException>().WithParameterName("random");
    }

    [Fact]
    public void Train_and_Generate_reject_out_of_range_counts()
    {
        Gan gan = Build(Net(5, 8, 15), Net(15, 8, 1));
        ((Action)(() => gan.Train(-1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("steps");
        ((Action)(() => gan.Generate(0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }

    [Fact]
    public void Cancellation_stops_training_cleanly_and_reports_it()
    {
        Gan gan = Build(Net(5, 8, 15), Net(15, 8, 1), data: GanTestKit.QuadraticSampler(), options: new GanOptions { BatchSize = 4 });
        using var cts = new CancellationTokenSource();
        GanTrainingResult result = gan.Train(100, m =>
        {
            if (m.Step == 7)
            {
                cts.Cancel();
            }
        }, cts.Token);

        result.Cancelled.Should().BeTrue();
        result.StepsCompleted.Should().Be(7);
        result.Last.Step.Should().Be(7);
        gan.StepCount.Should().Be(7);
        gan.Train(0).Should().Be(new GanTrainingResult(0, false, default));
    }
}

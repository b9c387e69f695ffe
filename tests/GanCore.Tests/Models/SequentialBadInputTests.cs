using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Models;

/// <summary>Bad arguments to Sequential and Fit throw the documented exception with a message naming the layer and the values.</summary>
public class SequentialBadInputTests
{
    private readonly RandomSource _random = new(71);

    private Sequential Model() => new(new Dense(3, 4, _random), new ReLU(), new Dense(4, 2, _random));

    [Fact]
    public void A_null_layer_list_is_rejected()
    {
        Action array = () => _ = new Sequential((Layer[])null!);
        Action enumerable = () => _ = new Sequential((IEnumerable<Layer>)null!);
        array.Should().Throw<ArgumentNullException>().WithParameterName("layers");
        enumerable.Should().Throw<ArgumentNullException>().WithParameterName("layers");
    }

    [Fact]
    public void A_null_layer_is_rejected_by_index()
    {
        Action act = () => _ = new Sequential(new Dense(3, 4, _random), null!, new Dense(4, 2, _random));
        act.Should().Throw<ArgumentNullException>().WithParameterName("layers").WithMessage("Layer 1 is null.*");
    }

    [Fact]
    public void Mismatched_Dense_widths_are_rejected_naming_the_layer_and_widths()
    {
        Action act = () => _ = new Sequential(new Dense(3, 4, _random), new Tanh(), new Dense(5, 1, _random));
        act.Should().Throw<ArgumentException>().WithParameterName("layers")
            .WithMessage("Layer 2 (Dense(5→1)) expects input width 5, but the layers before it produce width 4.*");
    }

    [Fact]
    public void An_empty_list_a_list_without_Dense_and_a_repeated_instance_are_rejected()
    {
        Action empty = () => _ = new Sequential();
        Action noDense = () => _ = new Sequential(new ReLU(), new Tanh());
        var tanh = new Tanh();
        Action repeated = () => _ = new Sequential(new Dense(2, 2, _random), tanh, new Dense(2, 2, _random), tanh);
        empty.Should().Throw<ArgumentException>().WithMessage("*at least one layer*");
        noDense.Should().Throw<ArgumentException>().WithMessage("*at least one layer that fixes its input width (Dense, SpectralNormDense, BatchNorm or LayerNorm)*");
        repeated.Should().Throw<ArgumentException>().WithMessage("Layer 3 (Tanh) is the same instance as layer 1*");
    }

    [Fact]
    public void Forward_rejects_the_wrong_width_and_an_empty_batch()
    {
        Sequential model = Model();
        Action wide = () => model.Forward(new Matrix(2, 5));
        Action empty = () => model.Forward(new Matrix(0, 3));
        wide.Should().Throw<ArgumentException>().WithParameterName("input")
            .WithMessage("Sequential(Dense(3→4) → ReLU → Dense(4→2)): expected input of shape (batch, 3) but got (2, 5).*");
        empty.Should().Throw<ArgumentException>().WithMessage("Sequential(*): the input batch has 0 rows*");
    }

    [Fact]
    public void Backward_before_Forward_and_with_the_wrong_shape_are_rejected()
    {
        Sequential model = Model();
        Action early = () => model.Backward(new Matrix(2, 2));
        Action earlyParameters = () => model.BackwardParameters(new Matrix(2, 2));
        early.Should().Throw<InvalidOperationException>().WithMessage("Sequential(Dense(3→4) → ReLU → Dense(4→2)): Backward was called before any Forward.");
        earlyParameters.Should().Throw<InvalidOperationException>();

        model.Forward(new Matrix(2, 3));
        Action shape = () => model.Backward(new Matrix(2, 3));
        shape.Should().Throw<ArgumentException>().WithParameterName("gradientOutput").WithMessage("*expected an output gradient of shape (2, 2)*but got (2, 3)*");
        Action nullGradient = () => model.Backward(null!);
        nullGradient.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void CopyParametersFrom_rejects_another_architecture()
    {
        Action act = () => Model().CopyParametersFrom(new Sequential(new Dense(3, 5, _random), new Dense(5, 2, _random)));
        act.Should().Throw<ArgumentException>().WithMessage("Cannot copy parameters from [Dense(3→5) → Dense(5→2)] into [Dense(3→4) → ReLU → Dense(4→2)]*");
    }

    [Fact]
    public void CopyParametersFrom_copies_every_value()
    {
        Sequential a = Model();
        Sequential b = Model();
        b.CopyParametersFrom(a);
        b.Parameters.Select(p => p.Value.Span.ToArray()).Should().BeEquivalentTo(a.Parameters.Select(p => p.Value.Span.ToArray()), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_rejects_bad_data_and_options_naming_the_values()
    {
        Sequential model = Model();
        var adam = new Adam(model.Parameters);
        var mse = new MeanSquaredError();
        var x = new Matrix(6, 3);
        var y = new Matrix(6, 2);

        Invoking(() => model.Fit(new Matrix(0, 3), new Matrix(0, 2), mse, adam)).Should().Throw<ArgumentException>().WithMessage("Fit: the inputs have 0 rows.*");
        Invoking(() => model.Fit(new Matrix(6, 4), y, mse, adam)).Should().Throw<ArgumentException>().WithMessage("Fit: the inputs are 6×4 but the model takes width 3.*");
        Invoking(() => model.Fit(x, new Matrix(5, 2), mse, adam)).Should().Throw<ArgumentException>().WithMessage("Fit: the targets are 5×2; expected 6×2*");
        Invoking(() => model.Fit(x, y, mse, adam, new FitOptions { Epochs = 0, Shuffle = false })).Should().Throw<ArgumentException>().WithMessage("Fit: Epochs is 0*");
        Invoking(() => model.Fit(x, y, mse, adam, new FitOptions { BatchSize = -3, Shuffle = false })).Should().Throw<ArgumentException>().WithMessage("Fit: BatchSize is -3*");
        Invoking(() => model.Fit(x, y, mse, adam, new FitOptions())).Should().Throw<ArgumentException>().WithMessage("Fit: Shuffle is on but no Random generator*");
        Invoking(() => model.Fit(x, y, mse, new Adam(Model().Parameters))).Should().Throw<ArgumentException>().WithParameterName("optimizer");
        Invoking(() => model.Fit(x, y, null!, adam)).Should().Throw<ArgumentNullException>().WithParameterName("loss");
        adam.StepCount.Should().Be(0, "nothing ran");
    }

    [Fact]
    public void Fit_reports_divergence_as_a_FitDivergenceException_naming_the_epoch_and_step()
    {
        var model = new Sequential(new Dense(1, 8, _random), new Dense(8, 1, _random));
        (Matrix x, Matrix y) = TrainingTests.SineData(32);
        var sgd = new Sgd(model.Parameters, learningRate: 1e6f);

        Action act = () => model.Fit(x, y, new MeanSquaredError(), sgd, new FitOptions { Epochs = 50, BatchSize = 8, Shuffle = false });

        FitDivergenceException e = act.Should().Throw<FitDivergenceException>().Which;
        e.Should().BeAssignableTo<ArithmeticException>("code that caught Fit's ArithmeticException still catches it");
        e.Epoch.Should().BePositive();
        e.Step.Should().Be(sgd.StepCount + 1, "the step whose output was not finite had not been taken");
        e.Message.Should().StartWith($"Fit: training diverged at epoch {e.Epoch}, step {e.Step}: ");
    }

    [Fact]
    public void Weights_that_became_infinite_in_the_last_step_are_reported()
    {
        // The batch checks see the weights through the next batch's output; the last step has none. SGD at a rate
        // near float's largest turns every weight with a gradient into ±∞ in one step: one epoch of one batch.
        var model = new Sequential(new Dense(1, 8, _random), new Dense(8, 1, _random));
        (Matrix x, Matrix y) = FarTargets();
        var sgd = new Sgd(model.Parameters, learningRate: 3e38f);

        Action act = () => model.Fit(x, y, new MeanSquaredError(), sgd, new FitOptions { Epochs = 1, BatchSize = 8, Shuffle = false });

        act.Should().Throw<FitDivergenceException>().WithMessage("Fit: training diverged at epoch 1, step 1: parameter Dense(*).*[*] became *Infinity in the last step*")
            .Which.Step.Should().Be(1);
    }

    /// <summary>Eight inputs 1..8 with targets 1000: the first step's gradients are far above 1, so SGD at 3e38 overflows.</summary>
    private static (Matrix X, Matrix Y) FarTargets()
    {
        var x = new Matrix(8, 1);
        var y = new Matrix(8, 1);
        for (int i = 0; i < 8; i++)
        {
            x[i, 0] = i + 1;
            y[i, 0] = 1000f;
        }

        return (x, y);
    }

    [Fact]
    public void A_validation_loss_past_floats_range_is_a_divergence_even_with_finite_outputs()
    {
        // y = w·x with w = 1e20: on the training input 0 the output and loss are 0 (and the gradient 0), on the
        // validation input 1 the output 1e20 is finite but its squared error 1e40 is not. It is not a best epoch.
        var layer = new Dense(1, 1, _random);
        layer.Parameters[0].Value.Span[0] = 1e20f;
        layer.Parameters[1].Value.Span[0] = 0f;
        var model = new Sequential(layer);
        var x = new Matrix(4, 1);
        var y = new Matrix(4, 1);
        var validation = Matrix.FromArray(new float[,] { { 1f } });
        var validationTargets = new Matrix(1, 1);

        Action act = () => model.Fit(x, y, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new FitOptions
        {
            Epochs = 3,
            BatchSize = 4,
            Shuffle = false,
            ValidationInputs = validation,
            ValidationTargets = validationTargets,
        });

        act.Should().Throw<FitDivergenceException>().WithMessage("Fit: training diverged at epoch 1, step 1: the * loss on the validation data became *Infinity after the epoch's last step*")
            .Which.RestoredBestEpoch.Should().Be(0);
    }

    [Fact]
    public void Cancelling_after_a_step_that_made_the_weights_infinite_reports_the_divergence()
    {
        var model = new Sequential(new Dense(1, 8, _random), new Dense(8, 1, _random));
        (Matrix x, Matrix y) = FarTargets();
        var sgd = new Sgd(model.Parameters, learningRate: 3e38f);
        using var stop = new CancellationTokenSource();

        Action act = () => model.Fit(x, y, new MeanSquaredError(), sgd, new FitOptions { Epochs = 5, BatchSize = 8, Shuffle = false }, _ => stop.Cancel(), stop.Token);

        act.Should().Throw<FitDivergenceException>("a cancelled run whose weights are not finite did diverge").WithMessage("*epoch 1, step 1:*in the last step*");
    }

    [Fact]
    public void Fit_rejects_NaN_in_the_data_with_a_message_naming_the_element()
    {
        Sequential model = Model();
        var x = new Matrix(4, 3);
        var y = new Matrix(4, 2);
        y[2, 1] = float.NaN;

        Action act = () => model.Fit(x, y, new MeanSquaredError(), new Adam(model.Parameters), new FitOptions { BatchSize = 4, Shuffle = false });

        act.Should().Throw<ArgumentException>().WithMessage("MeanSquaredError: targets[2, 1] is NaN*");
    }

    private static Action Invoking(Action action) => action;
}

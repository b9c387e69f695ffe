using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Diagnostics;
using GanCore.Initialization;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Adversarial;
using GanCore.Theory;

namespace GanCore.Tests.Hardening;

/// <summary>
/// Walks the public API with bad values. Every entry point throws the exception type its XML docs promise, and the
/// ParamName (or, where there is none, the message) names the offending parameter. docs/errors.md lists the same.
/// </summary>
public sealed class BadInputTests
{
    private sealed record Case(Action Act, Type Exception, string Names);

    private static readonly Dictionary<string, Case> Cases = Build();

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Bad_input_throws_the_documented_exception_naming_the_parameter(string name)
    {
        Case c = Cases[name];
        Exception e = c.Act.Should().Throw<Exception>().Which;
        e.GetType().Should().Be(c.Exception, $"{name}: {e}");
        string? parameter = (e as ArgumentException)?.ParamName;
        bool named = parameter is null ? e.Message.Contains(c.Names, StringComparison.Ordinal) : parameter == c.Names;
        named.Should().BeTrue(
            $"{name}: the exception should name '{c.Names}' (ParamName '{parameter}', message '{e.Message}')");
    }

    private static Dictionary<string, Case> Build()
    {
        var d = new Dictionary<string, Case>();
        void Add(string name, Type exception, string names, Action act) => d.Add(name, new Case(act, exception, names));
        Type nul = typeof(ArgumentNullException), arg = typeof(ArgumentException), range = typeof(ArgumentOutOfRangeException);

        // Kernels
        Add("Gemm.Multiply null A", nul, "a", () => Gemm.Multiply(null!, new Matrix(2, 2), new Matrix(2, 2)));
        Add("Gemm.Multiply null C", nul, "c", () => Gemm.Multiply(new Matrix(2, 2), new Matrix(2, 2), null!));
        Add("Gemm.Multiply inner dims differ", arg, "b", () => Gemm.Multiply(new Matrix(2, 3), new Matrix(4, 5), new Matrix(2, 5)));
        Add("Gemm.Multiply C wrong shape", arg, "c", () => Gemm.Multiply(new Matrix(2, 3), new Matrix(3, 5), new Matrix(2, 4)));
        Add("Gemm.MultiplyTransposedA shapes", arg, "b", () => Gemm.MultiplyTransposedA(new Matrix(3, 2), new Matrix(4, 5), new Matrix(2, 5)));
        Add("Gemm.MultiplyTransposedB shapes", arg, "b", () => Gemm.MultiplyTransposedB(new Matrix(2, 3), new Matrix(5, 4), new Matrix(2, 5)));
        Add("Gemm.Multiply C is A", arg, "c", () =>
        {
            var a = new Matrix(3, 3);
            Gemm.Multiply(a, new Matrix(3, 3), a);
        });
        Add("Gemm.MultiplyBiasActivation bias length", arg, "bias", () => Gemm.MultiplyBiasActivation(new Matrix(2, 3), new Matrix(3, 4), new float[3], new Matrix(2, 4), Activation.ReLU));
        Add("Gemm.Compute negative m", range, "m", () => Gemm.Compute(false, false, -1, 2, 2, new float[4], 2, new float[4], 2, new float[4], 2));
        Add("Gemm.Compute lda too small", range, "lda", () => Gemm.Compute(false, false, 2, 2, 2, new float[4], 1, new float[4], 2, new float[4], 2));
        Add("Gemm.Compute span too short", arg, "a", () => Gemm.Compute(false, false, 2, 2, 2, new float[3], 2, new float[4], 2, new float[4], 2));
        Add("Gemm.MaxDegreeOfParallelism 0", range, "value", () => Gemm.MaxDegreeOfParallelism = 0);

        // Tensors
        Add("Matrix negative rows", range, "rows", () => _ = new Matrix(-1, 2));
        Add("Matrix negative columns", range, "columns", () => _ = new Matrix(2, -1));
        Add("Matrix stride below row", range, "stride", () => _ = new Matrix(2, 3, 2));
        Add("Matrix too large", range, "rows", () => _ = new Matrix(int.MaxValue, int.MaxValue));
        Add("Matrix indexer row", range, "row", () => _ = new Matrix(2, 2)[2, 0]);
        Add("Matrix indexer column", range, "column", () => _ = new Matrix(2, 2)[0, -1]);
        Add("Matrix.Row out of range", range, "row", () => new Matrix(2, 2).Row(2));
        Add("Matrix.View negative", range, "rows", () => new Matrix(2, 2).View(-1));
        Add("Matrix.Slice outside", range, "columns", () => new Matrix(2, 2).Slice(0, 1, 1, 2));
        Add("Matrix.FromRows wrong count", arg, "values", () => Matrix.FromRows(2, 2, [1f, 2f, 3f]));
        Add("Matrix.FromArray null", nul, "values", () => Matrix.FromArray(null!));
        Add("Matrix.CopyTo null", nul, "destination", () => new Matrix(2, 2).CopyTo(null!));
        Add("Matrix.CopyTo shape", arg, "destination", () => new Matrix(2, 2).CopyTo(new Matrix(2, 3)));

        // Layers and initialization
        var random = new RandomSource(1);
        Add("Dense zero inputs", range, "inputs", () => _ = new Dense(0, 3, random));
        Add("Dense negative outputs", range, "outputs", () => _ = new Dense(3, -1, random));
        Add("Dense null random", nul, "random", () => _ = new Dense(3, 3, null!));
        Add("LeakyReLU NaN slope", range, "slope", () => _ = new LeakyReLU(float.NaN));
        Add("LeakyReLU negative slope", range, "slope", () => _ = new LeakyReLU(-0.1f));
        Add("LeakyReLU slope 1", range, "slope", () => _ = new LeakyReLU(1f));
        Add("Dense.Forward null", nul, "input", () => new Dense(3, 2, random).Forward(null!));
        Add("Dense.Forward wrong width", arg, "input", () => new Dense(3, 2, random).Forward(new Matrix(4, 2)));
        Add("Dense.Forward zero batch", arg, "input", () => new Dense(3, 2, random).Forward(new Matrix(0, 3)));
        Add("ReLU.Forward zero batch", arg, "input", () => new ReLU().Forward(new Matrix(0, 3)));
        Add("Dense.Backward before Forward", typeof(InvalidOperationException), "Forward", () => new Dense(3, 2, random).Backward(new Matrix(4, 2)));
        Add("Dense.Backward null", nul, "gradientOutput", () => new Dense(3, 2, random).Backward(null!));
        Add("Dense.Backward wrong shape", arg, "gradientOutput", () =>
        {
            var dense = new Dense(3, 2, random);
            dense.Forward(new Matrix(4, 3));
            dense.Backward(new Matrix(4, 3));
        });
        Add("Tanh.Backward wrong rows", arg, "gradientOutput", () =>
        {
            var tanh = new Tanh();
            tanh.Forward(new Matrix(4, 3));
            tanh.Backward(new Matrix(5, 3));
        });
        Add("Dropout rate 1", range, "rate", () => _ = new Dropout(1f, random));
        Add("Dropout rate negative", range, "rate", () => _ = new Dropout(-0.1f, random));
        Add("Dropout rate NaN", range, "rate", () => _ = new Dropout(float.NaN, random));
        Add("Dropout null random", nul, "random", () => _ = new Dropout(0.5f, null!));
        Add("Dropout.Forward NaN input", arg, "input", () => new Dropout(0.5f, random).Forward(Matrix.FromRows(1, 2, [0f, float.NaN])));
        Add("Dropout.Backward wrong shape", arg, "gradientOutput", () =>
        {
            var dropout = new Dropout(0.5f, random);
            dropout.Forward(new Matrix(4, 3));
            dropout.Backward(new Matrix(4, 2));
        });
        Add("BatchNorm zero features", range, "features", () => _ = new BatchNorm(0));
        Add("BatchNorm momentum above 1", range, "momentum", () => _ = new BatchNorm(3, momentum: 1.5f));
        Add("BatchNorm momentum NaN", range, "momentum", () => _ = new BatchNorm(3, momentum: float.NaN));
        Add("BatchNorm epsilon 0", range, "epsilon", () => _ = new BatchNorm(3, epsilon: 0f));
        Add("BatchNorm epsilon +Infinity", range, "epsilon", () => _ = new BatchNorm(3, epsilon: float.PositiveInfinity));
        Add("BatchNorm.Forward wrong width", arg, "input", () => new BatchNorm(3).Forward(new Matrix(4, 2)));
        Add("BatchNorm.Forward one row in training", arg, "input", () => new BatchNorm(3).Forward(new Matrix(1, 3)));
        Add("BatchNorm.Forward +Infinity input", arg, "input", () => new BatchNorm(2).Forward(Matrix.FromRows(2, 2, [0f, 1f, float.PositiveInfinity, 2f])));
        Add("BatchNorm.Backward before Forward", typeof(InvalidOperationException), "Forward", () => new BatchNorm(3).Backward(new Matrix(4, 3)));
        Add("LayerNorm zero features", range, "features", () => _ = new LayerNorm(0));
        Add("LayerNorm epsilon negative", range, "epsilon", () => _ = new LayerNorm(3, epsilon: -1e-5f));
        Add("LayerNorm.Forward wrong width", arg, "input", () => new LayerNorm(3).Forward(new Matrix(4, 5)));
        Add("LayerNorm.Forward NaN input", arg, "input", () => new LayerNorm(2).Forward(Matrix.FromRows(1, 2, [float.NaN, 0f])));
        Add("Softmax.Forward zero batch", arg, "input", () => new Softmax().Forward(new Matrix(0, 3)));
        Add("Softmax.Forward -Infinity input", arg, "input", () => new Softmax().Forward(Matrix.FromRows(1, 2, [float.NegativeInfinity, 0f])));
        Add("Softmax.Backward wrong shape", arg, "gradientOutput", () =>
        {
            var softmax = new Softmax();
            softmax.Forward(new Matrix(2, 3));
            softmax.Backward(new Matrix(3, 3));
        });
        Add("Initializer.Constant NaN", range, "value", () => Initializer.Constant(float.NaN));
        Add("Initializer.Constant infinity", range, "value", () => Initializer.Constant(float.PositiveInfinity));
        Add("Initializer.Fill fanIn 0", range, "fanIn", () => Initializer.GlorotUniform.Fill(new float[4], 0, 4, random));
        Add("Initializer.Fill null random", nul, "random", () => Initializer.HeNormal.Fill(new float[4], 2, 2, null!));

        // Losses
        Matrix Row(params float[] v) => Matrix.FromRows(1, v.Length, v);
        Add("Loss null predictions", nul, "predictions", () => new MeanSquaredError().Compute(null!, Row(1f)));
        Add("Loss null targets", nul, "targets", () => new MeanSquaredError().Compute(Row(1f), null!));
        Add("Loss shapes differ", arg, "targets", () => new MeanSquaredError().Compute(Row(1f, 2f), Row(1f)));
        Add("Loss zero batch", arg, "predictions", () => new MeanSquaredError().Compute(new Matrix(0, 1), new Matrix(0, 1)));
        Add("Loss gradient shape", arg, "gradient", () => new MeanSquaredError().Compute(Row(1f), Row(1f), new Matrix(1, 2)));
        Add("MSE NaN prediction", arg, "predictions", () => new MeanSquaredError().Compute(Row(float.NaN), Row(1f)));
        Add("MSE +Infinity target", arg, "targets", () => new MeanSquaredError().Compute(Row(1f), Row(float.PositiveInfinity)));
        Add("BCE probability above 1", arg, "predictions", () => new BinaryCrossEntropy().Compute(Row(1.5f), Row(1f)));
        Add("BCE NaN probability", arg, "predictions", () => new BinaryCrossEntropy().Compute(Row(float.NaN), Row(1f)));
        Add("BCE negative target", arg, "targets", () => new BinaryCrossEntropy().Compute(Row(0.5f), Row(-0.1f)));
        Add("BCE logits -Infinity", arg, "predictions", () => new BinaryCrossEntropyWithLogits().Compute(Row(float.NegativeInfinity), Row(1f)));
        Add("BCE logits target 2", arg, "targets", () => new BinaryCrossEntropyWithLogits().Compute(Row(0f), Row(2f)));
        Add("SoftmaxCrossEntropy class index out of range", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f), Row(2f)));
        Add("SoftmaxCrossEntropy class index not an integer", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f), Row(0.5f)));
        Add("SoftmaxCrossEntropy class index negative", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f), Row(-1f)));
        Add("SoftmaxCrossEntropy one-hot with two ones", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f), Row(1f, 1f)));
        Add("SoftmaxCrossEntropy soft label", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f), Row(0.3f, 0.7f)));
        Add("SoftmaxCrossEntropy targets width", arg, "targets", () => new SoftmaxCrossEntropy().Compute(Row(0f, 1f, 2f), Row(0f, 1f)));
        Add("SoftmaxCrossEntropy one class", arg, "predictions", () => new SoftmaxCrossEntropy().Compute(Row(0f), Row(0f)));
        Add("SoftmaxCrossEntropy NaN logit", arg, "predictions", () => new SoftmaxCrossEntropy().Compute(Row(float.NaN, 0f), Row(0f)));
        Add("Classification.Accuracy null", nul, "logitsOrProbabilities", () => Classification.Accuracy(null!, Row(0f)));
        Add("Classification.Accuracy class out of range", arg, "targets", () => Classification.Accuracy(Row(0f, 1f), Row(5f)));
        Add("Classification.Accuracy +Infinity score", arg, "logitsOrProbabilities", () => Classification.Accuracy(Row(float.PositiveInfinity, 0f), Row(0f)));

        // Optimizers
        IReadOnlyList<Parameter> ps = new Dense(2, 2, random).Parameters;
        Add("Adam null parameters", nul, "parameters", () => _ = new Adam(null!));
        Add("Adam learning rate 0", range, "learningRate", () => _ = new Adam(ps, 0f));
        Add("Adam learning rate -1", range, "learningRate", () => _ = new Adam(ps, -1f));
        Add("Adam learning rate NaN", range, "learningRate", () => _ = new Adam(ps, float.NaN));
        Add("Adam learning rate +Infinity", range, "learningRate", () => _ = new Adam(ps, float.PositiveInfinity));
        Add("Adam beta1 1", range, "beta1", () => _ = new Adam(ps, beta1: 1f));
        Add("Adam beta1 negative", range, "beta1", () => _ = new Adam(ps, beta1: -0.1f));
        Add("Adam beta1 NaN", range, "beta1", () => _ = new Adam(ps, beta1: float.NaN));
        Add("Adam beta2 1", range, "beta2", () => _ = new Adam(ps, beta2: 1f));
        Add("Adam epsilon 0", range, "epsilon", () => _ = new Adam(ps, epsilon: 0f));
        Add("Adam epsilon NaN", range, "epsilon", () => _ = new Adam(ps, epsilon: float.NaN));
        Add("Adam weight decay negative", range, "weightDecay", () => _ = new Adam(ps, weightDecay: -1f));
        Add("Adam repeated parameter", arg, "parameters", () => _ = new Adam([ps[0], ps[0]]));
        Add("Sgd learning rate 0", range, "learningRate", () => _ = new Sgd(ps, 0f));
        Add("Sgd momentum 1", range, "momentum", () => _ = new Sgd(ps, momentum: 1f));
        Add("Sgd momentum NaN", range, "momentum", () => _ = new Sgd(ps, momentum: float.NaN));
        Add("Sgd nesterov without momentum", arg, "nesterov", () => _ = new Sgd(ps, nesterov: true));
        Add("Sgd weight decay +Infinity", range, "weightDecay", () => _ = new Sgd(ps, weightDecay: float.PositiveInfinity));
        Add("Optimizer.LearningRate set NaN", range, "LearningRate", () => new Sgd(ps).LearningRate = float.NaN);

        // Models
        Add("Sequential null", nul, "layers", () => _ = new Sequential((Layer[])null!));
        Add("Sequential empty", arg, "layers", () => _ = new Sequential());
        Add("Sequential null layer", nul, "layers", () => _ = new Sequential(new Dense(2, 2, random), null!));
        Add("Sequential widths do not chain", arg, "layers", () => _ = new Sequential(new Dense(2, 3, random), new Dense(4, 1, random)));
        Add("Sequential repeated layer", arg, "layers", () =>
        {
            var relu = new ReLU();
            _ = new Sequential(new Dense(2, 2, random), relu, new Dense(2, 2, random), relu);
        });
        Add("Sequential.Forward wrong width", arg, "input", () => Model().Forward(new Matrix(3, 5)));
        Add("Sequential.Forward zero batch", arg, "input", () => Model().Forward(new Matrix(0, 2)));
        Add("Sequential.CopyParametersFrom other architecture", arg, "source", () => Model().CopyParametersFrom(new Sequential(new Dense(2, 2, random))));
        Add("Fit null inputs", nul, "inputs", () => Model().Fit(null!, new Matrix(4, 1), new MeanSquaredError(), new Sgd(Model().Parameters)));
        Add("Fit null loss", nul, "loss", () => Model().Fit(new Matrix(4, 2), new Matrix(4, 1), null!, new Sgd(Model().Parameters)));
        Add("Fit rows differ", arg, "targets", () => FitWith(targets: new Matrix(3, 1)));
        Add("Fit wrong input width", arg, "inputs", () => FitWith(inputs: new Matrix(4, 3)));
        Add("Fit wrong target width", arg, "targets", () => FitWith(targets: new Matrix(4, 2)));
        Add("Fit empty data", arg, "inputs", () => FitWith(inputs: new Matrix(0, 2), targets: new Matrix(0, 1)));
        Add("Fit zero epochs", arg, "options", () => FitWith(options: new FitOptions { Epochs = 0 }));
        Add("Fit zero batch size", arg, "options", () => FitWith(options: new FitOptions { BatchSize = 0 }));
        Add("Fit foreign optimizer", arg, "optimizer", () => Model().Fit(new Matrix(4, 2), new Matrix(4, 1), new MeanSquaredError(), new Sgd(Model().Parameters)));
        Add("Fit NaN input", arg, "inputs", () =>
        {
            var inputs = new Matrix(4, 2);
            inputs[1, 1] = float.NaN;
            FitWith(inputs: inputs);
        });
        Add("Fit +Infinity input", arg, "inputs", () =>
        {
            var inputs = new Matrix(4, 2);
            inputs[3, 0] = float.PositiveInfinity;
            FitWith(inputs: inputs);
        });
        Add("Fit diverging (learning rate 1e30)", typeof(FitDivergenceException), "epoch", () =>
        {
            Sequential model = Model();
            var inputs = Matrix.FromRows(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
            var targets = Matrix.FromRows(4, 1, [0, 1, 1, 0]);
            model.Fit(inputs, targets, new MeanSquaredError(), new Sgd(model.Parameters, 1e30f), new FitOptions { Epochs = 20, BatchSize = 4, Shuffle = false });
        });
        Add("Fit NaN target", arg, "targets", () =>
        {
            var targets = new Matrix(4, 1);
            targets[2, 0] = float.NaN;
            FitWith(targets: targets);
        });
        Add("Fit validation inputs without targets", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, ValidationInputs = new Matrix(2, 2) }));
        Add("Fit validation inputs wrong width", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, ValidationInputs = new Matrix(2, 3), ValidationTargets = new Matrix(2, 1) }));
        Add("Fit validation targets wrong shape", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, ValidationInputs = new Matrix(2, 2), ValidationTargets = new Matrix(3, 1) }));
        Add("Fit validation NaN input", arg, "options", () =>
        {
            var v = new Matrix(2, 2);
            v[1, 0] = float.NaN;
            FitWith(options: new FitOptions { Shuffle = false, ValidationInputs = v, ValidationTargets = new Matrix(2, 1) });
        });
        Add("Fit early stopping without validation", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, EarlyStoppingPatience = 3 }));
        Add("Fit negative patience", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, EarlyStoppingPatience = -1 }));
        Add("Fit NaN min delta", arg, "options", () => FitWith(options: new FitOptions { Shuffle = false, EarlyStoppingMinDelta = float.NaN }));
        Add("Fit softmax class index out of range", arg, "targets", () =>
        {
            var model = new Sequential(new Dense(2, 3, random));
            model.Fit(new Matrix(4, 2), Matrix.FromRows(4, 1, [0, 1, 2, 3]), new SoftmaxCrossEntropy(), new Sgd(model.Parameters), new FitOptions { Shuffle = false });
        });
        Add("Fit BatchNorm batch of one row", arg, "options", () =>
        {
            var model = new Sequential(new Dense(2, 2, random), new BatchNorm(2), new Dense(2, 1, random));
            model.Fit(new Matrix(5, 2), new Matrix(5, 1), new MeanSquaredError(), new Sgd(model.Parameters), new FitOptions { Shuffle = false, BatchSize = 2 });
        });

        // GAN composer
        Add("Gan null generator", nul, "generator", () => Compose(nullGenerator: true));
        Add("Gan G output ≠ D input", arg, "discriminator", () => Compose(d: Net(10, 1)));
        Add("Gan noise ≠ G input", arg, "noise", () => Compose(noise: new GaussianNoise(4)));
        Add("Gan D output not 1", arg, "discriminator", () => Compose(d: Net(15, 2)));
        Add("Gan data ≠ D input", arg, "realData", () => Compose(data: new DelegateSampler(14, (_, _) => { })));
        Add("Gan same model twice", arg, "discriminator", () =>
        {
            Sequential both = Net(15, 15);
            _ = new Gan(both, both, new Adam(both.Parameters), new Adam(both.Parameters), new GaussianNoise(15), GanTestKit.QuadraticSampler(), new RandomSource(1));
        });
        Add("Gan batch size 0", range, "BatchSize", () => Compose(options: new GanOptions { BatchSize = 0 }));
        Add("Gan discriminator steps 0", range, "DiscriminatorSteps", () => Compose(options: new GanOptions { DiscriminatorSteps = 0 }));
        Add("Gan real label NaN", range, "RealLabel", () => Compose(options: new GanOptions { RealLabel = float.NaN }));
        Add("Gan real label above 1", range, "RealLabel", () => Compose(options: new GanOptions { RealLabel = 1.5f }));
        Add("Gan.Train negative steps", range, "steps", () => GanTestKit.SeedGan(1, hidden: 4).Train(-1));
        Add("Gan.Generate 0", range, "count", () => GanTestKit.SeedGan(1, hidden: 4).Generate(0));
        Add("Gan.LoadCheckpoint null noise", nul, "noise", () => Gan.LoadCheckpoint("x.gck", null!, GanTestKit.QuadraticSampler()));
        Add("Gan.LoadCheckpoint missing file", typeof(FileNotFoundException), "missing.gck", () => Gan.LoadCheckpoint(Path.Combine(Path.GetTempPath(), "missing.gck"), new GaussianNoise(5), GanTestKit.QuadraticSampler()));
        Add("ModelCheckpoint.Save empty path", arg, "path", () => ModelCheckpoint.Save(" ", Model()));
        Add("ModelCheckpoint.Save null model", nul, "model", () => ModelCheckpoint.Save(Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.gck"), null!));
        Add("GaussianNoise dimension 0", range, "dimension", () => _ = new GaussianNoise(0));
        Add("GaussianNoise NaN deviation", range, "standardDeviation", () => _ = new GaussianNoise(5, float.NaN));
        Add("GaussianNoise negative deviation", range, "standardDeviation", () => _ = new GaussianNoise(5, -1f));
        Add("UniformNoise high below low", range, "high", () => _ = new UniformNoise(5, 1f, -1f));
        Add("UniformNoise infinite low", range, "low", () => _ = new UniformNoise(5, float.NegativeInfinity, 1f));
        Add("DelegateSampler dimension 0", range, "dimension", () => _ = new DelegateSampler(0, (_, _) => { }));
        Add("DelegateSampler null fill", nul, "fill", () => _ = new DelegateSampler(3, null!));
        Add("GaussianNoise.Fill wrong width", arg, "destination", () => new GaussianNoise(5).Fill(new Matrix(2, 4), random));

        // Theory
        Add("KL null density", nul, "p", () => Divergences.KullbackLeibler(null!, new NormalDensity(0, 1)));
        Add("JS null density", nul, "q", () => Divergences.JensenShannon(new NormalDensity(0, 1), null!));
        Add("KL vectors of different lengths", arg, "q", () => Divergences.KullbackLeibler([0.5, 0.5], [1.0]));
        Add("KL empty vectors", arg, "p", () => Divergences.KullbackLeibler([], []));
        Add("KL negative entry", range, "p", () => Divergences.KullbackLeibler([1.5, -0.5], [0.5, 0.5]));
        Add("KL NaN entry", range, "q", () => Divergences.KullbackLeibler([0.5, 0.5], [double.NaN, 0.5]));
        Add("JS does not sum to 1", arg, "p", () => Divergences.JensenShannon([0.5, 0.6], [0.5, 0.5]));
        Add("JS infinite entry", range, "p", () => Divergences.JensenShannon([double.PositiveInfinity, 0], [0.5, 0.5]));
        Add("NormalDensity deviation 0", range, "standardDeviation", () => _ = new NormalDensity(0, 0));
        Add("NormalDensity NaN mean", range, "mean", () => _ = new NormalDensity(double.NaN, 1));
        Add("UniformDensity empty interval", range, "upper", () => _ = new UniformDensity(1, 1));
        Add("UniformDensity infinite end", range, "lower", () => _ = new UniformDensity(double.NegativeInfinity, 1));
        Add("Game.Value null", nul, "data", () => Game.Value(null!, new NormalDensity(0, 1), Game.OptimalDiscriminator(new NormalDensity(0, 1), new NormalDensity(1, 1))));
        Add("Game.OptimalDiscriminator null", nul, "generator", () => Game.OptimalDiscriminator(new NormalDensity(0, 1), null!));

        Add("Expectation.MonteCarlo 1 sample", range, "sampleCount", () => Expectation.MonteCarlo(new NormalDensity(0, 1), x => x, 1, new RandomSource(1)));
        Add("Expectation.Quadrature null g", nul, "g", () => Expectation.Quadrature(new NormalDensity(0, 1), null!));
        Add("Expectation.Discrete NaN point", range, "points", () => Expectation.Discrete([0.5, 0.5], [0, double.NaN], x => x));
        Add("Expectation.Discrete lengths differ", arg, "points", () => Expectation.Discrete([0.5, 0.5], [0], x => x));
        Add("HistogramDensity edges not increasing", arg, "binEdges", () => _ = new HistogramDensity([0, 1, 1], [0.5, 0.5]));
        Add("HistogramDensity NaN probability", range, "probabilities", () => _ = new HistogramDensity([0, 1, 2], [double.NaN, 0.5]));
        Add("HistogramDensity.FromSamples sample outside", range, "samples", () => HistogramDensity.FromSamples([5.0], [0, 1]));
        Add("MixtureDensity NaN weight", range, "weights", () => _ = new MixtureDensity([new NormalDensity(0, 1), new NormalDensity(1, 1)], [double.NaN, 0.5]));
        Add("MixtureDensity null component", nul, "components", () => _ = new MixtureDensity([new NormalDensity(0, 1), null!], [0.5, 0.5]));
        Add("DiscriminatorFunction probability 2", typeof(InvalidOperationException), "[0, 1]", () => DiscriminatorFunction.FromProbability(_ => 2).Probability(0));
        Add("DiscriminatorFunction.FromLogit null", nul, "logit", () => DiscriminatorFunction.FromLogit(null!));
        Add("Game.Value NaN discriminator", typeof(InvalidOperationException), "NaN", () => Game.Value(new NormalDensity(0, 1), new NormalDensity(1, 1), DiscriminatorFunction.FromProbability(_ => double.NaN)));

        // Randomness and diagnostics
        Add("RandomSource all-zero state", arg, "state", () => _ = new RandomSource(default(RandomSourceState)));
        Add("RandomSource NaN spare", arg, "state", () => new RandomSource(1).SetState(new RandomSourceState(1, 2, 3, 4, true, double.NaN)));
        Add("NextInt32 0", range, "maxExclusive", () => new RandomSource(1).NextInt32(0));
        Add("NextUniform NaN low", range, "low", () => new RandomSource(1).NextUniform(double.NaN, 1));
        Add("NextUniform high below low", range, "high", () => new RandomSource(1).NextUniform(2, 1));
        Add("NextGaussian negative deviation", range, "standardDeviation", () => new RandomSource(1).NextGaussian(0, -1));
        Add("NextGaussian infinite mean", range, "mean", () => new RandomSource(1).NextGaussian(double.PositiveInfinity, 1));
        Add("FillGaussian NaN deviation", range, "standardDeviation", () => new RandomSource(1).FillGaussian(new float[3], 0f, float.NaN));
        Add("FillUniform infinite high", range, "high", () => new RandomSource(1).FillUniform(new float[3], 0f, float.PositiveInfinity));
        Add("KolmogorovSmirnov empty sample", arg, "sample", () => KolmogorovSmirnov.StatisticUniform([], 0, 1));
        Add("KolmogorovSmirnov NaN sample", arg, "sample", () => KolmogorovSmirnov.StatisticUniform([0.5, double.NaN], 0, 1));
        Add("KolmogorovSmirnov cdf out of range", range, "cdf", () => KolmogorovSmirnov.Statistic([0.5], _ => 1.5));
        Add("KolmogorovSmirnov.PValue statistic NaN", range, "statistic", () => KolmogorovSmirnov.PValue(double.NaN, 10));
        Add("LeastSquares.FitQuadratic lengths differ", arg, "y", () => LeastSquares.FitQuadratic([0f, 1f, 2f], [0f, 1f]));

        // ---- Real data in: GanCore.Data and MatrixSampler (issue 13, mlp-io; keep this block together) ----
        Type csv = typeof(GanCore.Data.CsvFormatException);
        Add("CsvReader.Parse null", nul, "text", () => GanCore.Data.CsvReader.Parse(null!));
        Add("CsvReader.Read null reader", nul, "reader", () => GanCore.Data.CsvReader.Read(null!));
        Add("CsvReader.ReadFile empty path", arg, "path", () => GanCore.Data.CsvReader.ReadFile(string.Empty));
        Add("CsvReader delimiter is a digit", arg, "options", () => GanCore.Data.CsvReader.Parse("1", new GanCore.Data.CsvOptions { Delimiter = '7' }));
        Add("CsvReader header undefined", arg, "options", () => GanCore.Data.CsvReader.Parse("1", new GanCore.Data.CsvOptions { Header = (GanCore.Data.CsvHeader)9 }));
        Add("CsvReader cell not a number", csv, "line 3, column 2", () => GanCore.Data.CsvReader.Parse("x,y\n1,2\n3,abc\n"));
        Add("CsvReader cell NaN", csv, "line 2, column 1", () => GanCore.Data.CsvReader.Parse("1,2\nNaN,2\n"));
        Add("CsvReader empty cell", csv, "line 1, column 2", () => GanCore.Data.CsvReader.Parse("1,,3\n"));
        Add("CsvReader ragged row", csv, "line 3:", () => GanCore.Data.CsvReader.Parse("x,y\n1,2\n3\n"));
        Add("CsvReader open quote", csv, "line 1, column 1", () => GanCore.Data.CsvReader.Parse("\"x,y\n"));
        Add("CsvReader empty", csv, "empty", () => GanCore.Data.CsvReader.Parse(string.Empty));
        Add("CsvReader header only", csv, "no data rows", () => GanCore.Data.CsvReader.Parse("x,y\n"));
        Add("CsvTable.SplitLabels column out of range", range, "labelColumn", () => GanCore.Data.CsvReader.Parse("1,0\n").SplitLabels(2));
        Add("CsvTable.SplitLabels single column", arg, "labelColumn", () => GanCore.Data.CsvReader.Parse("1\n").SplitLabels(0));
        Add("CsvTable.SplitLabels fractional label", csv, "line 1, column 2", () => GanCore.Data.CsvReader.Parse("1,0.5\n").SplitLabels(1));
        Add("CsvTable.SplitLabels negative label", csv, "line 2, column 2", () => GanCore.Data.CsvReader.Parse("1,0\n2,-1\n").SplitLabels(-1));
        Add("CsvTable.ColumnIndex unknown", arg, "name", () => GanCore.Data.CsvReader.Parse("x,y\n1,2\n").ColumnIndex("z"));
        Add("CsvTable.LineOf out of range", range, "row", () => GanCore.Data.CsvReader.Parse("1,2\n").LineOf(1));
        Add("LabeledData null features", nul, "features", () => _ = new GanCore.Data.LabeledData(null!, new Matrix(1, 1)));
        Add("LabeledData labels two columns", arg, "labels", () => _ = new GanCore.Data.LabeledData(new Matrix(2, 2), new Matrix(2, 2)));
        Add("LabeledData label out of range", arg, "labels", () =>
        {
            var labels = new Matrix(2, 1);
            labels[1, 0] = 1e6f;
            _ = new GanCore.Data.LabeledData(new Matrix(2, 2), labels);
        });
        Add("LabeledData infinite feature", arg, "features", () =>
        {
            var features = new Matrix(2, 2);
            features[0, 1] = float.NegativeInfinity;
            _ = new GanCore.Data.LabeledData(features, new Matrix(2, 1));
        });
        Add("LabeledData.Split fraction 1", range, "validationFraction", () => new GanCore.Data.LabeledData(new Matrix(4, 1), new Matrix(4, 1)).Split(1, new RandomSource(1)));
        Add("LabeledData.Split null random", nul, "random", () => new GanCore.Data.LabeledData(new Matrix(4, 1), new Matrix(4, 1)).Split(0.5, null!));
        Add("MatrixSampler null examples", nul, "examples", () => _ = new MatrixSampler(null!, SamplingMode.WithReplacement));
        Add("MatrixSampler no rows", arg, "examples", () => _ = new MatrixSampler(new Matrix(0, 3), SamplingMode.WithoutReplacement));
        Add("MatrixSampler NaN example", arg, "examples", () =>
        {
            var examples = new Matrix(2, 2);
            examples[1, 0] = float.NaN;
            _ = new MatrixSampler(examples, SamplingMode.WithReplacement);
        });
        Add("MatrixSampler undefined mode", range, "mode", () => _ = new MatrixSampler(new Matrix(2, 2), (SamplingMode)5));
        Add("MatrixSampler.Fill wrong width", arg, "destination", () => new MatrixSampler(new Matrix(2, 2), SamplingMode.WithReplacement).Fill(new Matrix(3, 5), new RandomSource(1)));
        Add("MatrixSampler.Fill null random", nul, "random", () => new MatrixSampler(new Matrix(2, 2), SamplingMode.WithReplacement).Fill(new Matrix(3, 2), null!));
        Add("MatrixSampler.SetState position past the end", arg, "state", () => new MatrixSampler(new Matrix(2, 2), SamplingMode.WithoutReplacement).SetState(new MatrixSamplerState(1, 3, new RandomSourceState(1, 2, 3, 4, false, 0))));
        Add("MatrixSampler.SetState epoch with replacement", arg, "state", () => new MatrixSampler(new Matrix(2, 2), SamplingMode.WithReplacement).SetState(new MatrixSamplerState(1, 0, new RandomSourceState(1, 2, 3, 4, false, 0))));
        // ---- end of the mlp-io block ----
        return d;

        Sequential Model() => new(new Dense(2, 3, new RandomSource(2)), new Tanh(), new Dense(3, 1, new RandomSource(3)));

        void FitWith(Matrix? inputs = default, Matrix? targets = default, FitOptions? options = null)
        {
            Sequential model = Model();
            model.Fit(inputs ?? new Matrix(4, 2), targets ?? new Matrix(4, 1), new MeanSquaredError(), new Sgd(model.Parameters), options);
        }

        Sequential Net(int inputs, int outputs) => new(new Dense(inputs, 4, new RandomSource(4)), new ReLU(), new Dense(4, outputs, new RandomSource(5)));

        void Compose(bool nullGenerator = false, Sequential? g = default, Sequential? d = default, INoiseSource? noise = null, IRealDataSampler? data = null, GanOptions? options = null)
        {
            Sequential generator = g ?? Net(5, 15);
            Sequential discriminator = d ?? Net(15, 1);
            _ = new Gan(
                nullGenerator ? null! : generator,
                discriminator,
                new Adam(generator.Parameters),
                new Adam(discriminator.Parameters),
                noise ?? new GaussianNoise(5),
                data ?? GanTestKit.QuadraticSampler(),
                new RandomSource(1),
                options);
        }
    }
}

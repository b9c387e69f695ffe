namespace GanCore.Tests.Testing;

/// <summary>
/// A fact that runs only when an environment variable opts in, and is reported as skipped (not passed) otherwise.
/// xunit 2 has no run-time skip, but a fact whose <see cref="FactAttribute.Skip"/> is set when the attribute is made
/// is reported as skipped with that reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class OptInFactAttribute : FactAttribute
{
    /// <summary>Runs the fact when <paramref name="variable"/> equals <paramref name="value"/>, or, when
    /// <paramref name="value"/> is null, when <paramref name="variable"/> is set to anything non-empty.</summary>
    public OptInFactAttribute(string variable, string? value = "1")
    {
        Variable = variable;
        Value = value;
        string? actual = Environment.GetEnvironmentVariable(variable);
        bool optedIn = value is null ? !string.IsNullOrEmpty(actual) : actual == value;
        if (!optedIn)
        {
            Skip = value is null ? $"opt-in: set {variable} to run" : $"opt-in: set {variable}={value} to run";
        }
    }

    /// <summary>The environment variable that opts in.</summary>
    public string Variable { get; }

    /// <summary>The value that opts in; null for any non-empty value.</summary>
    public string? Value { get; }
}

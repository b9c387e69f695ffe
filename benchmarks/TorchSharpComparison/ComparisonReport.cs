/// <summary>The report lines TorchSharpComparison prints and tools/Targets reads (Targets compiles this file too, so the
/// two programs cannot drift apart).</summary>
internal static class ComparisonReport
{
    /// <summary>How the line starts that says libtorch's GEMM ran faster than this host's vectors allow .NET, so that
    /// libtorch used instructions a simulated host would not have: Targets then does not judge a lead that falls
    /// short.</summary>
    internal const string BaselineNotHeld = "// baseline not held:";
}

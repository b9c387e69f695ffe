namespace GanCore.Checkpoints;

/// <summary>
/// A checkpoint file is truncated, corrupted, of another version, or does not describe what the caller asked
/// for. The message says what is wrong and where (<see cref="Offset"/>, <see cref="Section"/>).
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates an exception with a message.</summary>
    public CheckpointException()
        : this("The checkpoint is invalid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public CheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CheckpointException(string source, long offset, string? section, string problem)
        : base($"{source}: {problem} (at byte offset {offset}{(section is null ? string.Empty : $", section '{section}'")}).")
    {
        Offset = offset;
        Section = section;
    }

    /// <summary>The byte offset in the file where the problem was found, or −1 when not applicable.</summary>
    public long Offset { get; } = -1;

    /// <summary>The section being read, or null when the problem is in the file header or section framing.</summary>
    public string? Section { get; }
}

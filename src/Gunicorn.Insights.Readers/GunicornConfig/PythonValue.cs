namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>What a Python expression in a config file is, as far as it can be known without running it.</summary>
internal abstract record PythonValue
{
    /// <summary>Environment variables the value depends on; the value shown is what the file uses when they are unset.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>A copy that also depends on <paramref name="variables"/>.</summary>
    public PythonValue WithEnvironment(IReadOnlyList<string> variables) =>
        variables.Count == 0 ? this : this with { Environment = [.. Environment, .. variables.Where(v => !Environment.Contains(v))] };
}

/// <summary>A string.</summary>
internal sealed record PythonString(string Value) : PythonValue;

/// <summary>A number or arithmetic on numbers and the CPU count, kept as text for <c>GunicornSetting.Parse</c>.</summary>
/// <param name="Text">The expression.</param>
/// <param name="IsLiteral">True for a single number literal.</param>
internal sealed record PythonNumber(string Text, bool IsLiteral) : PythonValue;

/// <summary><c>True</c> or <c>False</c>.</summary>
internal sealed record PythonBoolean(bool Value) : PythonValue;

/// <summary><c>None</c>.</summary>
internal sealed record PythonNone : PythonValue;

/// <summary>A list or tuple.</summary>
internal sealed record PythonList(IReadOnlyList<PythonValue> Items) : PythonValue;

/// <summary>A dict literal or <c>dict(…)</c> call, kept as its source text.</summary>
internal sealed record PythonDict(string Text) : PythonValue;

/// <summary>A name or dotted name that is no known value: a function or class (a hook, a worker class).</summary>
internal sealed record PythonReference(string Name) : PythonValue;

/// <summary>A <c>lambda</c>.</summary>
internal sealed record PythonCallable : PythonValue;

/// <summary>Something that cannot be known without running the file, and why.</summary>
internal sealed record PythonUnknown(string Reason) : PythonValue;

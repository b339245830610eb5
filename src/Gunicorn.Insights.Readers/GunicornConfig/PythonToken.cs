namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>One token of a Python expression.</summary>
/// <param name="Kind">Name, number, string or operator.</param>
/// <param name="Text">The token as written (for a string: the whole literal with prefix and quotes).</param>
/// <param name="Start">Where it starts in the statement.</param>
/// <param name="End">Where it ends (exclusive).</param>
/// <param name="Value">For a string, its value with escapes decoded (for an f-string, the raw content between the quotes).</param>
/// <param name="Prefix">For a string, its prefix in lower case (<c>r</c>, <c>b</c>, <c>f</c>, <c>rb</c>, …).</param>
internal readonly record struct PythonToken(PythonTokenKind Kind, string Text, int Start, int End, string? Value = null, string Prefix = "")
{
    /// <summary>True for an operator or bracket spelled <paramref name="text"/>.</summary>
    public bool Is(string text) => Kind == PythonTokenKind.Operator && Text == text;

    /// <summary>True for the name or keyword <paramref name="name"/>.</summary>
    public bool IsName(string name) => Kind == PythonTokenKind.Name && Text == name;
}

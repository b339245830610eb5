namespace Gunicorn.Insights.Readers.GunicornConfig;

/// <summary>The kinds of Python token the config reader distinguishes.</summary>
internal enum PythonTokenKind
{
    /// <summary>An identifier or keyword.</summary>
    Name,

    /// <summary>A number literal.</summary>
    Number,

    /// <summary>A string literal.</summary>
    String,

    /// <summary>An operator, bracket or delimiter.</summary>
    Operator,
}

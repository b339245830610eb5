namespace Gunicorn.Insights.Readers.Launch;

/// <summary>A word or operator of a command line after quote removal, with where it starts in the text it was split from.</summary>
/// <param name="Text">The word with quotes and escapes removed (expansions such as <c>$PORT</c> kept as written), or the operator.</param>
/// <param name="Offset">The index in the split text where the word starts.</param>
/// <param name="IsOperator">True for a control or redirection operator (<c>&amp;&amp;</c>, <c>;</c>, <c>|</c>, <c>&gt;</c>, a line break).</param>
internal readonly record struct ShellWord(string Text, int Offset, bool IsOperator = false)
{
    /// <summary>True for an operator that redirects input or output (its next word is a file, not an argument).</summary>
    public bool IsRedirection => IsOperator && Text.Length > 0 && (Text[0] is '<' or '>' || Text == "&>" || Text == "&>>");
}

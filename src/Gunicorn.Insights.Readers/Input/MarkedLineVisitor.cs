namespace Gunicorn.Insights.Readers.Input;

/// <summary>
/// Receives one line chosen by <see cref="LineSource.ForEachMarkedLine"/>: its bytes without the line break, its 1-based
/// number and the line before it (empty for the first line). Returns true to receive the next line as well, whether or
/// not it holds a marker (e.g. to follow a traceback or a multi-line dump to its end).
/// </summary>
public delegate bool MarkedLineVisitor(ReadOnlySpan<byte> line, long number, ReadOnlySpan<byte> previousLine);

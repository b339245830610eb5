namespace Gunicorn.Insights.Readers.Input;

/// <summary>Receives one line of an input: its bytes without the line break, and its 1-based number.</summary>
public delegate void LineVisitor(ReadOnlySpan<byte> line, long number);

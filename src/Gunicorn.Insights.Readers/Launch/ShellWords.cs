using System.Text;

namespace Gunicorn.Insights.Readers.Launch;

/// <summary>
/// Splits command lines into words the way a POSIX shell does before expansion — single and double quotes, backslash
/// escapes, comments, control and redirection operators — or the way systemd splits <c>ExecStart=</c> and
/// <c>Environment=</c> (quotes and C escapes, nothing else). Nothing is expanded or executed: <c>$VAR</c>, <c>${VAR}</c>,
/// <c>$(…)</c> and backquotes are kept in the word as written. One pass over the text; the number of words is capped.
/// </summary>
internal static class ShellWords
{
    /// <summary>The most words taken from one text; the rest is dropped.</summary>
    public const int MaximumWords = 4096;

    /// <summary>
    /// Splits <paramref name="text"/>. <paramref name="open"/> is true when the text ends inside a quote or substitution or
    /// with an escaping backslash, i.e. the command continues on the next line.
    /// </summary>
    public static List<ShellWord> Split(string text, bool systemd, out bool open)
    {
        var words = new List<ShellWord>();
        var word = new StringBuilder();
        var started = false;
        var wordStart = 0;
        open = false;
        var i = 0;

        void End()
        {
            if (started && words.Count < MaximumWords)
            {
                var value = word.ToString();
                words.Add(systemd && value == ";" ? new ShellWord(value, wordStart, IsOperator: true) : new ShellWord(value, wordStart));
            }

            word.Clear();
            started = false;
        }

        void Begin(int at)
        {
            if (!started)
            {
                started = true;
                wordStart = at;
            }
        }

        while (i < text.Length && words.Count < MaximumWords)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' || (systemd && c == '\n'))
            {
                End();
                i++;
                continue;
            }

            if (!systemd && c == '\n')
            {
                End();
                Operator(words, "\n", i);
                i++;
                continue;
            }

            if (!systemd && c == '#' && !started)
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    open = true;
                    i++;
                    continue;
                }

                var next = text[i + 1];
                if (next == '\n')
                {
                    i += 2;
                    continue;
                }

                Begin(i);
                word.Append(systemd ? CEscape(next) : next);
                i += 2;
                continue;
            }

            if (c == '\'')
            {
                Begin(i);
                i = systemd ? Quoted(text, i + 1, '\'', word, systemd, ref open) : SingleQuoted(text, i + 1, word, ref open);
                continue;
            }

            if (c == '"')
            {
                Begin(i);
                i = Quoted(text, i + 1, '"', word, systemd, ref open);
                continue;
            }

            if (!systemd && (c == '`' || (c == '$' && i + 1 < text.Length && text[i + 1] is '(' or '{')))
            {
                Begin(i);
                i = Substitution(text, i, word, ref open);
                continue;
            }

            if (!systemd && c is ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                if (c is '<' or '>' && started && !word.ToString().AsSpan().ContainsAnyExceptInRange('0', '9'))
                {
                    // 2>&1: the digits are the redirected descriptor, not a word.
                    word.Clear();
                    started = false;
                }

                End();
                var op = OperatorAt(text, i);
                Operator(words, op, i);
                i += op.Length;
                continue;
            }

            Begin(i);
            word.Append(c);
            i++;
        }

        End();
        return words;
    }

    /// <summary>
    /// Splits a word list into simple commands at control operators (<c>;</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>|</c>,
    /// <c>&amp;</c>, brackets, line breaks), dropping redirections and their targets.
    /// </summary>
    public static List<List<ShellWord>> SimpleCommands(List<ShellWord> words)
    {
        var commands = new List<List<ShellWord>>();
        var current = new List<ShellWord>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!word.IsOperator)
            {
                current.Add(word);
                continue;
            }

            if (word.IsRedirection)
            {
                // The target (a file, or a descriptor after >&) is not an argument.
                if (i + 1 < words.Count && !words[i + 1].IsOperator)
                {
                    i++;
                }

                continue;
            }

            if (current.Count > 0)
            {
                commands.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            commands.Add(current);
        }

        return commands;
    }

    private static void Operator(List<ShellWord> words, string op, int at)
    {
        if (words.Count < MaximumWords)
        {
            words.Add(new ShellWord(op, at, IsOperator: true));
        }
    }

    private static string OperatorAt(string text, int i)
    {
        string[] candidates = ["&&", "||", ";;", "&>>", "&>", ">>", ">&", ">|", "<<-", "<<", "<&", "<>"];
        foreach (var candidate in candidates)
        {
            if (string.CompareOrdinal(text, i, candidate, 0, candidate.Length) == 0)
            {
                return candidate;
            }
        }

        return text[i].ToString();
    }

    private static int SingleQuoted(string text, int i, StringBuilder word, ref bool open)
    {
        var close = text.IndexOf('\'', i);
        if (close < 0)
        {
            open = true;
            word.Append(text, i, text.Length - i);
            return text.Length;
        }

        word.Append(text, i, close - i);
        return close + 1;
    }

    private static int Quoted(string text, int i, char quote, StringBuilder word, bool systemd, ref bool open)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                return i + 1;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                if (systemd)
                {
                    word.Append(CEscape(next));
                }
                else if (next == '\n')
                {
                    // A backslash-newline inside double quotes joins the lines.
                }
                else if (next is '$' or '`' or '"' or '\\')
                {
                    word.Append(next);
                }
                else
                {
                    word.Append('\\').Append(next);
                }

                i += 2;
                continue;
            }

            if (!systemd && (c == '`' || (c == '$' && i + 1 < text.Length && text[i + 1] == '(')))
            {
                i = Substitution(text, i, word, ref open);
                continue;
            }

            word.Append(c);
            i++;
        }

        open = true;
        return i;
    }

    /// <summary>Copies <c>$(…)</c>, <c>${…}</c> or <c>`…`</c> into the word as written, with nesting; nothing is run.</summary>
    private static int Substitution(string text, int i, StringBuilder word, ref bool open)
    {
        var start = i;
        if (text[i] == '`')
        {
            var close = text.IndexOf('`', i + 1);
            if (close < 0)
            {
                open = true;
                word.Append(text, i, text.Length - i);
                return text.Length;
            }

            word.Append(text, i, close + 1 - i);
            return close + 1;
        }

        var opening = text[i + 1];
        var closing = opening == '(' ? ')' : '}';
        var depth = 0;
        var quote = '\0';
        i += 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '\\')
            {
                i++;
            }
            else if (c == opening)
            {
                depth++;
            }
            else if (c == closing && --depth == 0)
            {
                word.Append(text, start, i + 1 - start);
                return i + 1;
            }

            i++;
        }

        open = true;
        word.Append(text, start, text.Length - start);
        return text.Length;
    }

    private static char CEscape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        _ => c,
    };
}

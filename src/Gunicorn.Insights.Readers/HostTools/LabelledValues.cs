namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>
/// The <c>value label, value label</c> lists of top's summary (<c>97.3 us,  1.2 sy,  0.0 ni,100.0 id</c>,
/// <c>3931.8 total,    212.4 free</c>, <c>1630.2 used.    380.5 avail Mem</c>, and procps 3.2's <c>97.3%us</c> and
/// <c>3922928k total</c>), in the C locale or one with a decimal comma.
/// </summary>
internal static class LabelledValues
{
    /// <summary>One value: its label, number, attached unit letter (<c>k</c>) and whether top cut it short (<c>+</c>).</summary>
    internal readonly record struct Item(string Label, double Value, char Unit, bool Truncated);

    /// <summary>Reads the list; false (with the offending part) when a part has no readable number.</summary>
    public static bool TryParse(string text, out List<Item> items, out string bad)
    {
        items = [];
        bad = "";
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            // A separator is a comma or full stop right after a label (a letter); after a digit it is a decimal mark.
            if (i < text.Length && !(text[i] is ',' or '.' && i > 0 && char.IsLetter(text[i - 1])))
            {
                continue;
            }

            var part = text.AsSpan(start, i - start).Trim();
            start = i + 1;
            if (part.IsEmpty)
            {
                continue;
            }

            if (!TryItem(part, out var item))
            {
                bad = part.ToString();
                return false;
            }

            items.Add(item);
        }

        return true;
    }

    /// <summary>The value labelled <paramref name="label"/>.</summary>
    public static Item? Find(List<Item> items, string label)
    {
        foreach (var item in items)
        {
            if (item.Label == label)
            {
                return item;
            }
        }

        return null;
    }

    private static bool TryItem(ReadOnlySpan<char> part, out Item item)
    {
        item = default;
        var length = 0;
        while (length < part.Length && (char.IsAsciiDigit(part[length]) || part[length] is '.' or ','))
        {
            length++;
        }

        if (!HostText.TryNumber(part[..length], out var value))
        {
            return false;
        }

        var rest = part[length..];
        var truncated = false;
        var unit = '\0';
        if (rest.StartsWith("+"))
        {
            truncated = true;
            rest = rest[1..];
        }

        if (rest.StartsWith("%"))
        {
            rest = rest[1..];
        }
        else if (rest.Length >= 2 && rest[0] is 'k' or 'K' or 'm' or 'M' or 'g' or 'G' or 't' or 'T' && char.IsWhiteSpace(rest[1]))
        {
            unit = rest[0];
            rest = rest[1..];
        }

        var label = rest.Trim();
        if (label.IsEmpty)
        {
            return false;
        }

        item = new Item(label.ToString(), value, unit, truncated);
        return true;
    }
}

namespace Gunicorn.Insights.Readers.HostTools;

/// <summary>The output of one host tool being read, from its header line until a line that is not its own.</summary>
internal interface IHostSection
{
    /// <summary>Reads a line of the section; false when the line is not the section's (the section then ends).</summary>
    bool Line(string line, long number);

    /// <summary>Ends the section, adding what it still holds.</summary>
    void Finish();
}

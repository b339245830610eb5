namespace Gunicorn.Insights.Readers.Launch;

/// <summary>Reads one format of launch artifact line by line.</summary>
internal interface ILaunchLineParser
{
    /// <summary>Takes the next line.</summary>
    void Line(string text, long number);

    /// <summary>Ends the input.</summary>
    void Finish();
}

using Gunicorn.Insights.Observations;

namespace Gunicorn.Insights.Readers;

/// <summary>What a batch of inputs gave: the observations, what was read, and every input problem.</summary>
/// <param name="Observations">The observations, input by input in the order read.</param>
/// <param name="Inputs">One summary per input read.</param>
/// <param name="Problems">The input problems, each naming its file and line.</param>
public sealed record ReadResult(IReadOnlyList<Observation> Observations, IReadOnlyList<InputSummary> Inputs, IReadOnlyList<InputDiagnostic> Problems);

namespace SecScan.Core.Documents;

/// <summary>
/// One run of text with its location. An extractor emits one segment per paragraph, table cell,
/// PDF text line or property, so that "alone on its line" keeps its meaning for detectors.
/// </summary>
/// <param name="Text">The original characters, exactly as extracted.</param>
/// <param name="Location">Where they came from.</param>
public sealed record TextSegment(string Text, Location Location);

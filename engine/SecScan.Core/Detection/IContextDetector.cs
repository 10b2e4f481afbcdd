using SecScan.Core.Findings;

namespace SecScan.Core.Detection;

/// <summary>
/// A detector whose hits are also context for what other detectors found in the same document
/// (keyword categories, DOMAIN.md §6). The engine runs these after every plain detector and tells them
/// where the document's findings start; they may replace those findings with adjusted copies.
/// </summary>
public interface IContextDetector : IDetector
{
    /// <summary>
    /// Adds its findings and adjusts <c>findings[documentStart..]</c> (the other detectors' findings for
    /// this document). Replacements are made only after all of its own work has succeeded.
    /// </summary>
    void Detect(DetectionInput input, List<Finding> findings, int documentStart);
}

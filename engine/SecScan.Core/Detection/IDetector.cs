using SecScan.Core.Findings;

namespace SecScan.Core.Detection;

/// <summary>
/// Finds one kind of thing in normalized text. Built once from a compiled ruleset; thread-safe; knows
/// nothing of file formats (only segment parts and locations).
/// </summary>
public interface IDetector
{
    /// <summary>A stable id for timings and errors.</summary>
    string Id { get; }

    /// <summary>Adds its findings for the document to <paramref name="findings"/>.</summary>
    void Detect(DetectionInput input, List<Finding> findings);
}

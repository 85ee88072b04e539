namespace FemHost.MaterialData;

/// <summary>
/// A dataset file (CSV or sidecar) does not follow the "femhost-path-dataset" v1 format. The message names
/// the file, the line and the column, and says what was expected.
/// </summary>
public sealed class PathDatasetFormatException(string message) : Exception(message);

namespace SpikeSim.Simulator.Errors;

/// <summary>
/// A failure a user can fix: a bad parameter, a missing device, a bad file. Its message is one
/// line that says what was wrong and what to do; the CLI prints it and exits with code 2.
/// </summary>
public class SpikeSimException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A parameter that is out of its domain (a negative duration, dt above a time constant).</summary>
public sealed class InvalidParameterException(string message) : SpikeSimException(message);

/// <summary>The device asked for is not present.</summary>
public sealed class DeviceUnavailableException(string message, Exception? inner = null) : SpikeSimException(message, inner);

/// <summary>A data set that cannot be found, fetched or read; the message says what to do.</summary>
public sealed class DataUnavailableException(string message, Exception? inner = null) : SpikeSimException(message, inner);

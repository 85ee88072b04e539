using FemHost.Cases;

namespace FemHost.Cli;

/// <summary>A wrong command line (unknown verb or option, missing argument): exit code 2 with the usage hint.</summary>
public sealed class CliUsageException(string message) : UserInputException(message);

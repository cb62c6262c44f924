"""Command line: click commands and rich rendering; the only package that prints."""

EXIT_OK = 0  # nothing not met
EXIT_NOT_MET = 1  # some target not met (or could not be evaluated; or pending with --fail-on-pending)
EXIT_BAD_INPUT = 2  # bad input or usage: a located message says what to change
EXIT_INTERNAL = 3  # a bug in thidua: the message asks to report it

"""Documents in, structured reports out: pure functions, no network, no database."""

# Bumped whenever parsing can change a stored figure; a newer version re-parses reports.
PARSER_VERSION = "0.1.0"

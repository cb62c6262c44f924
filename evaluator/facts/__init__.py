"""Facts: reading rosters (YAML, JSON, Excel, CSV) and checking them against the kinds of the rules."""

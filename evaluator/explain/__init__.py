"""Explanations: why a target passed, down to the checks and facts; derived titles; the council worksheet."""

"""Audit: the hash-chained ledger of runs, replaying a recorded run and comparing two runs."""

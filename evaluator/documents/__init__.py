"""Documents the council hands in, built from the judgements of one run: Word report, Excel lists, HTML."""

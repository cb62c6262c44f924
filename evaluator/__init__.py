"""Evaluator: facts, the durable-rules engine adapter, measurements and judgements with reasons."""

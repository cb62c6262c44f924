"""The engine: durable-rules adapter, three-valued conditions, title derivation and target measures."""

"""Emulation blocks (khối thi đua): members scored by the block's table, ranked, proposed; provinces."""

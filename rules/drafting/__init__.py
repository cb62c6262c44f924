"""Drafting rule files from a pledge's sentences (`thidua draft`) and pledge sentences from targets (`thidua pledge`)."""

"""Saves: the store interface, its TinyDB implementation and the crash-safe files beneath it."""

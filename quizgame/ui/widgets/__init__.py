"""Widgets show what screens give them; they never read or write saves."""

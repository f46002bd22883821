"""Benchmarks of ulplan and its emulator: a report, never timed assertions (see README.md)."""

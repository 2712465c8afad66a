"""hled-monitor: alerts on the U.S.-Mexico High-Level Economic Dialogue pages."""

__version__ = "0.1.0"  # the package version in pyproject.toml (a test keeps them equal)

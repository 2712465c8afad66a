"""CLI commands, one module per theme, each registered with ``registry.command``."""

"""CLI commands beyond `check`, one module per theme, registered with ``cli.command``."""

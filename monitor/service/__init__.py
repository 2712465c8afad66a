"""Service mode (`python -m monitor run`): the scheduler, health and metrics, replica locks."""

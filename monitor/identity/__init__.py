"""Identity: canonical URLs and the link policy, moves, and copies of one document (twins)."""

"""Text: a page's main text, its normalised blocks and fingerprint, metadata, keywords, diffs."""

"""The check pipeline: discover, fetch, extract, compare, record, deliver; stages in order."""

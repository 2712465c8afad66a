"""Fetch: URLs in, results as data out (``FetchResult``); transports stay inside."""

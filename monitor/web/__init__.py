"""The read-only web view: HTML pages, an Atom feed and a JSON API over the store."""

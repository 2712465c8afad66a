"""The monitor's exception tree.

Results are data: a fetch that returns 404 or a page that did not change is *not* an exception
(see ``monitor.models.FetchResult``). Exceptions are for things a caller cannot carry on from::

    MonitorError
    ├── ConfigError            sources.toml or the environment is wrong (exit code 2)
    ├── FetchError             a request could not be made at all
    │   ├── TransientFetchError   a retryable failure (5xx, 429, connection); carries status_code
    │   │   └── FetchTimeout         no answer in time: retried within the source's deadline
    │   ├── RefusedURL            the link policy forbids the URL or a redirect hop to it
    │   └── BrowserUnavailable    no Chromium (or no Playwright) to render a page with
    ├── ExtractError           a page has no usable main text (soft failure: counted as an error)
    ├── StoreError             the database cannot be opened or migrated
    │   └── StoreMissing          a read-only command found no store where it looked
    └── NotifyError            a channel refused an alert
        └── PermanentNotifyError  retrying will not help (bad token, unknown channel, SMTP 5xx)

Only ``monitor.cli`` turns these into exit codes.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base class of every error the monitor raises on purpose."""


class ConfigError(MonitorError):
    """The configuration is invalid; the message names the file, the source and the field."""


class FetchError(MonitorError):
    """A request failed in a way that is not an HTTP answer."""


class TransientFetchError(FetchError):
    """A failure worth retrying: a connection error, 429 or 5xx."""

    def __init__(
        self, message: str, status_code: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


class FetchTimeout(TransientFetchError):
    """No answer within the timeout; its retries share the source's ``timeout_deadline``."""


class RefusedURL(FetchError):
    """The URL, or a redirect hop, is outside the source's link policy: nothing was sent there."""


class BrowserUnavailable(FetchError):
    """A source needs the browser and there is none: Chromium or Playwright missing, or dead."""


class ExtractError(MonitorError):
    """A page answered but holds no article text we can trust (challenge page, selector miss)."""


class StoreError(MonitorError):
    """The store cannot be opened, migrated or written."""


class StoreMissing(StoreError):
    """No store at the URL (its text, password hidden), and the caller may not create one."""


class NotifyError(MonitorError):
    """An alert could not be delivered now; it will be retried.

    ``ambiguous``: the message was sent but no answer came (a read timeout, a connection closed
    while waiting), so the server may have accepted it.
    """

    def __init__(self, message: str, retry_after: float | None = None, *, ambiguous: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.ambiguous = ambiguous


class PermanentNotifyError(NotifyError):
    """An alert can never be delivered as configured; retrying is pointless."""

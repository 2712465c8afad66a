"""How a failed alert is retried: a few times at once, then by the outbox, later.

Within one delivery run (a check's, or the service's) a transient failure (a 5xx, a connection
that could not be made, a short ``Retry-After``) is retried a couple of times with a short
backoff, so a blip never costs the alert a minute or a check. After that, or at once when the
server asks for a longer wait, the outbox takes over: exponential backoff, or the server's
``Retry-After`` if longer, but never more than ``max_retry_after`` (a ``Retry-After: 100000``
would otherwise hold every pending alert for a day).

A failure after the message was sent and before its answer came (a read timeout, a connection
closed while waiting) is *ambiguous*: the server may have taken it. It is not retried at once,
which would post it again moments later; the outbox retries it after its backoff (see "Delivery
guarantee" in the README for when that can mean a duplicate).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import tenacity

from monitor.errors import NotifyError, PermanentNotifyError

FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=1)
INLINE_WAITS = (1.0, 2.0)  # seconds before the second and the third try in one run
MAX_INLINE_WAIT = 5.0  # a longer Retry-After goes back to the outbox at once
MAX_RETRY_AFTER = 900.0  # [notify] max_retry_after's default: 15 minutes


@dataclass(frozen=True)
class RetryPolicy:
    """``waits``: the pauses between tries within one run (none: one try, as in tests)."""

    waits: tuple[float, ...] = ()
    max_inline_wait: float = MAX_INLINE_WAIT
    max_retry_after: float = MAX_RETRY_AFTER
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def for_runs(cls, max_retry_after: float = MAX_RETRY_AFTER) -> RetryPolicy:
        """What `check` and `run` use: two retries at once, then the outbox."""
        return cls(INLINE_WAITS, MAX_INLINE_WAIT, max_retry_after)

    def send(self, attempt: Callable[[], None]) -> None:
        """Call ``attempt``, retrying a transient failure; the last failure propagates."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(len(self.waits) + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception(self._retry_now),
            sleep=self.sleep,
            reraise=True,
        )
        retrying(attempt)

    @property
    def horizon(self) -> timedelta:
        """The longest wait this policy sets (claims' leases are shorter): a row waiting longer
        was postponed under another policy, such as an older version's uncapped Retry-After."""
        return max(LAST_RETRY, timedelta(seconds=self.max_retry_after))

    def deferral(self, attempts: int, retry_after: float | None) -> timedelta:
        """How long the outbox waits after a run's failed tries (``attempts``: earlier runs)."""
        exponential: timedelta = min(FIRST_RETRY * 2**attempts, LAST_RETRY)
        asked = min(retry_after or 0.0, self.max_retry_after)
        return max(exponential, timedelta(seconds=asked))

    def _retry_now(self, exc: BaseException) -> bool:
        if not isinstance(exc, NotifyError) or isinstance(exc, PermanentNotifyError):
            return False  # a bug, or a refusal that retrying cannot change
        if exc.ambiguous:
            return False  # it may have arrived: not again moments later
        return exc.retry_after is None or exc.retry_after <= self.max_inline_wait

    def _wait(self, state: tenacity.RetryCallState) -> float:
        if not self.waits:
            return 0.0  # tenacity asks for the wait before it sees that it must stop
        pause = self.waits[min(state.attempt_number, len(self.waits)) - 1]
        exc = state.outcome.exception() if state.outcome is not None else None
        asked = exc.retry_after if isinstance(exc, NotifyError) else None
        return max(pause, asked or 0.0)

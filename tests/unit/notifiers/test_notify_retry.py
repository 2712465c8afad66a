"""The retry policy of alerts: what is tried again at once, after what pause, and the cap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from monitor.errors import NotifyError, PermanentNotifyError
from notifiers.retry import RetryPolicy


class Flaky:
    """Fails with each of ``failures`` in turn, then succeeds."""

    def __init__(self, *failures: Exception) -> None:
        self.failures, self.calls = list(failures), 0

    def __call__(self) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)


def policy(slept: list[float], max_retry_after: float = 900.0) -> RetryPolicy:
    return RetryPolicy((1.0, 2.0), 5.0, max_retry_after, sleep=slept.append)


def test_a_transient_failure_is_tried_three_times_with_a_short_backoff() -> None:
    slept: list[float] = []
    flaky = Flaky(NotifyError("500"), NotifyError("503"))
    policy(slept).send(flaky)
    assert (flaky.calls, slept) == (3, [1.0, 2.0])
    with pytest.raises(NotifyError, match="3"):
        policy([]).send(Flaky(NotifyError("1"), NotifyError("2"), NotifyError("3")))


def test_a_short_retry_after_is_waited_for_and_a_long_one_deferred() -> None:
    slept: list[float] = []
    policy(slept).send(Flaky(NotifyError("429", retry_after=4)))
    assert slept == [4.0]
    long = Flaky(NotifyError("429", retry_after=6))
    with pytest.raises(NotifyError):
        policy(slept).send(long)
    assert (long.calls, slept) == (1, [4.0])


@pytest.mark.parametrize(
    "failure",
    [PermanentNotifyError("invalid_auth"), NotifyError("timeout", ambiguous=True), KeyError("bug")],
)
def test_refusals_bugs_and_ambiguous_failures_are_not_tried_again_at_once(
    failure: Exception,
) -> None:
    flaky = Flaky(failure)
    with pytest.raises(type(failure)):
        policy([]).send(flaky)
    assert flaky.calls == 1


def test_the_outbox_waits_the_backoff_or_the_capped_retry_after() -> None:
    capped = policy([])
    assert capped.deferral(0, None) == timedelta(minutes=1)
    assert capped.deferral(3, None) == timedelta(minutes=8)
    assert capped.deferral(10, None) == timedelta(hours=1)
    assert capped.deferral(0, 600) == timedelta(minutes=10)
    assert capped.deferral(0, 100_000) == timedelta(minutes=15)
    assert policy([], max_retry_after=7200).deferral(0, 100_000) == timedelta(hours=2)
    assert capped.horizon == timedelta(hours=1)

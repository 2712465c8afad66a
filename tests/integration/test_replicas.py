"""Two `run` replicas on one PostgreSQL database: every change is alerted exactly once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from store.repo import Store
from tests.fakesite import FakeSite, article
from tests.fakeslack import FakeSlack
from tests.service_process import ServiceProcess, started

PATHS = ("/one", "/two", "/three")


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> None:
    # Two other processes change the database; there is no event to wait on, so we look
    # at it a few times a second, with a deadline.
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.2)


def write_config(path: Path, base: str) -> None:
    slack = '[notify.slack]\nchannel = "#hled"\n\n'
    sources = slack + "".join(
        f'[[source]]\nname = "s{i}"\nagency = "State"\nurl = "{base}{p}"\ninterval = "3s"\n'
        for i, p in enumerate(PATHS)
    )
    fast = "[service]\nallow_fast_intervals = true\n\n"  # the test cannot wait a minute
    path.write_text(
        f'[fetch]\nper_host_delay = "0s"\nretries = 0\n\n{fast}{sources}', encoding="utf-8"
    )


def test_two_replicas_alert_each_change_once(tmp_path: Path, postgres_url: str) -> None:
    site = FakeSite({p: article(f"HLED {p}", "They signed a $474 million loan.") for p in PATHS})
    store, slack = Store(postgres_url), FakeSlack()
    with site.serve() as base, slack.serve() as slack_base:
        write_config(tmp_path / "sources.toml", base)
        env = {
            "MONITOR_DATABASE_URL": postgres_url,
            "SLACK_BOT_TOKEN": "xoxb-replicas",
            "SLACK_API_URL": f"{slack_base}/api/",
        }
        replicas = [ServiceProcess(tmp_path / "sources.toml", env) for _ in range(2)]
        try:
            for replica in replicas:
                replica.wait_for(started)
            wait_until(lambda: all(store.source_state(f"s{i}").baseline_done for i in range(3)))
            for path in PATHS:
                site.pages[path] = article(f"HLED {path}", "They signed a $520 million loan.")
            wait_until(
                lambda: (
                    all(d.version_count == 2 for d in store.documents())
                    and len(store.deliveries("sent")) == 3
                )
            )
        finally:
            codes = [replica.stop() for replica in replicas]
    assert codes == [0, 0]
    assert len(slack.posts) == 3
    assert sorted(post["text"].split(": ", 1)[1].split("\n")[0] for post in slack.posts) == [
        f"HLED {path}" for path in sorted(PATHS)
    ]
    assert sorted(e.type for e in store.events()) == ["document_changed"] * 3
    assert len(store.deliveries()) == 3
    store.close()

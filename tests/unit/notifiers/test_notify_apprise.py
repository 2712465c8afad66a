"""Apprise channels through the real library against a local webhook (json://, mmost://)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import pytest
import requests

from monitor.cli import _channel_selector
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from monitor.pipeline.context import route
from monitor.pipeline.deliver import deliver_pending
from notifiers import build_notifiers
from notifiers.markdown import escape_markdown
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.localserver import serve
from tests.service_process import free_port

SECRET = "hook-secret-4f2a"
SOURCE = {"name": "ustr", "agency": "USTR", "url": "https://ustr.gov/x"}


@dataclass
class Hook:
    """A webhook that records each POST (path and JSON body) and answers ``status``."""

    status: int = 200
    posts: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with hook.lock:
                    hook.posts.append((self.path, body))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def hook() -> Iterator[tuple[Hook, str]]:
    fake = Hook()
    with serve(fake.handler()) as base:
        yield fake, base.removeprefix("http://")


def settings(*destinations: dict[str, object]):  # type: ignore[no-untyped-def]
    return make_settings(SOURCE, notify={"apprise": list(destinations)})


def event(clock: Clock, event_id: str = "e1", title: str = "FACT SHEET: 2023 HLED") -> Event:
    return Event(event_id, "new_document", "ustr", "USTR", "https://ustr.gov/fs", title,
                 clock(), {"opening": "EPA will invest $474 million."})  # fmt: skip


def test_a_json_webhook_gets_the_alert_with_the_secret_from_the_environment(
    hook: tuple[Hook, str], clock: Clock
) -> None:
    fake, address = hook
    config = settings({"url": f"json://{address}/hooks/${{HOOK_SECRET}}"})
    (notifier,) = build_notifiers(config, {"HOOK_SECRET": SECRET})
    notifier.send(event(clock))
    ((path, body),) = fake.posts
    assert path == f"/hooks/{SECRET}"
    assert body["title"] == "New HLED document: FACT SHEET: 2023 HLED"
    assert "EPA will invest $474 million." in str(body["message"])
    assert SECRET not in notifier.channel  # the channel is stored and shown: never the secret
    assert notifier.channel == f"apprise:json://{address}/hooks/${{HOOK_SECRET}}"


def test_a_missing_secret_or_an_unknown_service_is_a_config_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(ConfigError, match=r"notify.apprise #1: url: set HOOK_SECRET"):
        build_notifiers(settings({"url": "json://127.0.0.1/${HOOK_SECRET}"}), {})
    with pytest.raises(ConfigError, match=r'notify.apprise #1: url: "nosuch://x" is not a URL'):
        build_notifiers(settings({"url": "nosuch://x"}), {})
    with caplog.at_level(logging.DEBUG), pytest.raises(ConfigError) as malformed:
        build_notifiers(settings({"url": "tgram://${T}/chat"}), {"T": SECRET})
    assert '"tgram://${T}/chat" is not a URL' in str(malformed.value)
    assert SECRET not in caplog.text
    assert "Unparseable" not in caplog.text  # one error, ours, instead of Apprise's as well


def test_each_event_reaches_each_url_once_through_the_outbox(
    hook: tuple[Hook, str], clock: Clock, store: Store
) -> None:
    fake, address = hook
    same = f"json://{address}/a"
    config = settings(
        {"url": same, "events": ["new_document"]},
        {"url": same, "agencies": ["USTR"]},  # the same URL twice: one channel
        {"url": f"json://{address}/only-errors", "events": ["source_error"]},
    )
    notifiers = build_notifiers(config, {})
    assert len(notifiers) == 2
    store.record_events(route([event(clock)], _channel_selector(notifiers, enabled=True)), clock())
    assert deliver_pending(store, notifiers, clock()).sent == 1
    assert deliver_pending(store, notifiers, clock()).sent == 0
    assert [path for path, _ in fake.posts] == ["/a"]  # the filter kept it from /only-errors


def test_markdown_targets_get_page_text_escaped(hook: tuple[Hook, str], clock: Clock) -> None:
    fake, address = hook
    (notifier,) = build_notifiers(settings({"url": f"mmost://{address}/token"}), {})
    notifier.send(event(clock, title="[click](https://evil.example) @channel *now*"))
    ((path, body),) = fake.posts
    assert path == "/hooks/token"
    text = str(body["text"])
    assert "[click](https://evil.example)" not in text
    assert escape_markdown("[click](https://evil.example)") in text
    assert "@channel" not in text
    assert "*now*" not in text
    assert text.count("](") == 1  # the only link is the document's own
    assert "(https://ustr.gov/fs)" in text


def test_failures_name_the_reason_and_say_whether_to_retry(
    hook: tuple[Hook, str], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    fake, address = hook
    port = free_port()
    (down,) = build_notifiers(settings({"url": f"json://127.0.0.1:{port}/${{S}}"}), {"S": SECRET})
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyError) as refused:
        down.send(event(clock))
    assert str(refused.value) == f"apprise: connection refused to 127.0.0.1:{port}"
    assert not isinstance(refused.value, PermanentNotifyError)
    assert SECRET not in caplog.text  # apprise's own debug lines name the URL
    (gone,) = build_notifiers(settings({"url": f"json://{address}/x"}), {})
    fake.status = 404
    with pytest.raises(PermanentNotifyError, match="error=404"):
        gone.send(event(clock))
    fake.status = 503
    with pytest.raises(NotifyError) as busy:
        gone.send(event(clock))
    assert not isinstance(busy.value, PermanentNotifyError)


def test_a_digest_is_one_message(hook: tuple[Hook, str], clock: Clock) -> None:
    fake, address = hook
    (notifier,) = build_notifiers(settings({"url": f"json://{address}/d"}), {})
    notifier.send_digest([event(clock, "a", "First"), event(clock, "b", "Second")])
    ((_, body),) = fake.posts
    assert body["title"] == "2 HLED alerts"
    assert "First" in str(body["message"])
    assert "Second" in str(body["message"])


def test_a_message_too_long_for_the_target_goes_in_parts(
    hook: tuple[Hook, str], clock: Clock
) -> None:
    fake, address = hook
    events = [event(clock, f"e{n}", f"Fact sheet number {n}") for n in range(40)]
    (mattermost,) = build_notifiers(settings({"url": f"mmost://{address}/token"}), {})
    mattermost.send_digest(events)  # far past Mattermost's 4,000 characters
    texts = [str(body["text"]) for _, body in fake.posts]
    assert len(texts) > 1
    assert all(len(text) <= 4000 for text in texts)
    assert all(f"Fact sheet number {n}" in "".join(texts) for n in range(40))
    fake.posts.clear()
    url = f"mmost://{address}/token?overflow=upstream"  # the URL's own choice wins
    (whole,) = build_notifiers(settings({"url": url}), {})
    whole.send_digest(events)
    assert len(fake.posts) == 1


def test_an_html_target_without_a_title_field_shows_the_headline_once(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, object]] = []

    def post(url: str, data: str = "", **_: object) -> requests.Response:
        sent.append(json.loads(data))
        answer = requests.Response()
        answer.status_code, answer._content = 200, b'{"ok": true, "result": {}}'
        return answer

    monkeypatch.setattr(requests, "post", post)  # Telegram's API, answered here
    (telegram,) = build_notifiers(settings({"url": "tgram://123456789:abcdefg_hijklmnop/12"}), {})
    telegram.send(event(clock, title="FACT SHEET: 2023 HLED <b>"))
    ((body,),) = [sent]
    assert body["parse_mode"] == "HTML"
    assert str(body["text"]).count("New HLED document: FACT SHEET: 2023 HLED &lt;b&gt;") == 1


def test_every_channel_problem_is_reported_at_once() -> None:
    config = make_settings(
        SOURCE,
        notify={
            "slack": {"channel": "#a"},
            "apprise": [{"url": "json://h/${A}"}, {"url": "no://x"}],
        },
    )
    with pytest.raises(ConfigError) as raised:
        build_notifiers(config, {})
    problems = str(raised.value).splitlines()
    assert len(problems) == 3
    assert "notify.slack: set SLACK_BOT_TOKEN" in problems[0]
    assert "notify.apprise #1: url: set A in the environment" in problems[1]
    assert 'notify.apprise #2: url: "no://x" is not a URL' in problems[2]


def test_with_a_public_url_alerts_link_to_the_view(hook: tuple[Hook, str], clock: Clock) -> None:
    fake, address = hook
    config = settings({"url": f"mmost://{address}/token"}, {"url": f"json://{address}/j"})
    env = {"MONITOR_PUBLIC_URL": "https://hled.example.org"}
    for notifier in build_notifiers(config, env):
        notifier.send(event(clock))
    markdown, text = (str(body.get("text") or body.get("message")) for _, body in fake.posts)
    assert "[Open in hled-monitor](https://hled.example.org/events/e1)" in markdown
    assert "Open in hled-monitor: https://hled.example.org/events/e1" in text

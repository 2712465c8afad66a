"""With `[service] public_url` (or MONITOR_PUBLIC_URL), Slack and email alerts link to the view,
and the link leads to the document's diff page there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.web.app import ViewContext, build_app
from store.queries import ReadStore
from tests.asgi import get
from tests.fakesite import FakeSite, article
from tests.fakeslack import FakeSlack
from tests.smtpserver import smtp_server

TEXT = "EPA and CONAGUA signed a $474 million agreement on border water projects."
PUBLIC = "https://hled.example.org/view"


@pytest.mark.parametrize("where", ["config", "env"])
def test_alerts_link_to_the_diff_page(tmp_path: Path, sqlite_url: str, where: str) -> None:
    site, slack = FakeSite({"/hled": article("Joint Statement", TEXT)}), FakeSlack()
    with site.serve() as base, slack.serve() as slack_base, smtp_server() as (mailbox, smtp):
        config = tmp_path / "sources.toml"
        service = f'[service]\npublic_url = "{PUBLIC}/"\n\n' if where == "config" else ""
        config.write_text(
            f'{service}[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
            '[notify.slack]\nchannel = "#hled"\n\n'
            '[notify.email]\nto = ["analyst@example.org"]\nfrom = "bot@example.org"\n\n'
            f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n',
            encoding="utf-8",
        )
        env = {"MONITOR_DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": "xoxb-test",
               "SLACK_API_URL": f"{slack_base}/api/", **smtp}  # fmt: skip
        if where == "env":
            env["MONITOR_PUBLIC_URL"] = PUBLIC
        assert main(["check", "--config", str(config)], env) == 0
        site.pages["/hled"] = article("Joint Statement", TEXT.replace("$474", "$520"))
        assert main(["check", "--config", str(config)], env) == 0
    (post,) = slack.posts
    found = re.search(rf"<{re.escape(PUBLIC)}(/events/[0-9a-f]{{32}})\|Open in hled-monitor>",
                      str(post["blocks"]))  # fmt: skip
    assert found is not None
    path = found.group(1)
    (message,) = mailbox.messages
    html_part = message.get_body(("html",))
    text_part = message.get_body(("plain",))
    assert html_part is not None
    assert text_part is not None
    assert f'<a href="{PUBLIC}{path}">Open in hled-monitor</a>' in html_part.get_content()
    assert f"Open in hled-monitor: {PUBLIC}{path}" in text_part.get_content()
    store = ReadStore(sqlite_url)
    try:
        answer = get(build_app(ViewContext(store), token=None), path)
    finally:
        store.close()
    assert answer.status_code == 303
    assert re.fullmatch(r"/documents/\d+/diff\?from=1&to=2", answer.headers["location"])


def test_without_a_public_url_alerts_have_no_view_link(tmp_path: Path, sqlite_url: str) -> None:
    from monitor.models import Event
    from notifiers.format import build_alert, render_text
    from tests.conftest import Clock

    event = Event("e" * 32, "document_changed", "s", "State", "https://x.gov/a", "T", Clock()())
    assert build_alert(event).view_url is None
    assert "hled-monitor:" not in render_text(build_alert(event))
    assert build_alert(event, public_url=PUBLIC + "/").view_url == f"{PUBLIC}/events/{'e' * 32}"


def test_a_public_url_must_be_a_web_address() -> None:
    from monitor.config import parse_settings
    from monitor.errors import ConfigError

    with pytest.raises(ConfigError, match="public_url"):
        parse_settings({"service": {"public_url": "javascript:alert(1)"}}, "test.toml")

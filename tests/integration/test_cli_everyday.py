"""The everyday commands against a local site: sources, test (dry run), config check, the
read-only commands' store, --db, -v/-q after the command, and the output people read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.cli import build_parser, main
from monitor.commands.options import verbosity
from tests.fakesite import FakeSite, article
from tests.fakeslack import FakeSlack

LONG = (
    "EPA and CONAGUA committed to invest a combined $474 million in border water and sanitation "
    "projects along the whole length of the shared border by the end of 2027."
)
LISTING = """<html><body><main><ul>
<li><a href="/hled-joint">Photo gallery</a></li>
<li><a href="/hled-joint">Joint Statement on the U.S.-Mexico High-Level Economic Dialogue</a></li>
<li><a href="/canada">Secretary travels to Ottawa</a></li>
<li><a href="/readout">Read more</a></li>
<li><a href="https://elsewhere.example/hled">HLED coverage elsewhere</a></li>
</ul></main></body></html>"""
PUBLISHED = '<meta property="article:published_time" content="2023-09-29T10:00:00Z">'


def joint(amount: str = "$474") -> str:
    page = article(
        "Joint Statement on the HLED", "The HLED met today.", LONG.replace("$474", amount)
    )
    return page.replace("<head>", f"<head>{PUBLISHED}")


@dataclass
class Setup:
    path: Path
    site: FakeSite
    base: str
    slack: FakeSlack
    env: dict[str, str]

    @property
    def db(self) -> Path:
        return self.path / "data" / "monitor.db"

    def configure(self, text: str) -> None:
        (self.path / "sources.toml").write_text(text, encoding="utf-8")

    def rows(self) -> dict[str, int]:
        engine = sa.create_engine(f"sqlite:///{self.db}")
        try:
            with engine.connect() as connection:
                names = sa.inspect(connection).get_table_names()
                count = 'SELECT COUNT(*) FROM "{}"'  # names come from the database itself
                return {
                    name: connection.execute(sa.text(count.format(name))).scalar_one()
                    for name in names
                }
        finally:
            engine.dispose()


def sources_toml(base: str, slack: bool = False) -> str:
    text = (
        '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
        f'[[source]]\nname = "state-list"\nagency = "State"\nkind = "listing"\nurl = "{base}/list"\n\n'
        f'[[source]]\nname = "ustr-page"\nagency = "USTR"\nurl = "{base}/hled-joint"\ninterval = "2h"\n'
    )
    return text + ('\n[notify.slack]\nchannel = "#hled"\n' if slack else "")


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    site = FakeSite(
        {
            "/list": LISTING,
            "/hled-joint": joint(),
            "/readout": article("Readout of the HLED", "The HLED working groups met."),
            "/canada": article("Ottawa", "Nothing about Mexico."),
        }
    )
    slack = FakeSlack()
    with site.serve() as base, slack.serve() as slack_base:
        env = {
            "MONITOR_CONFIG": str(tmp_path / "sources.toml"),
            "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}",
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": f"{slack_base}/api/",
        }
        found = Setup(tmp_path, site, base, slack, env)
        found.configure(sources_toml(base))
        yield found


def test_sources_lists_each_source_with_its_state(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "-q"], setup.env) == 0
    capsys.readouterr()
    assert main(["sources"], setup.env) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "source", "kind", "agency", "interval", "enabled", "last", "check", "status", "failures",
        "docs", "next", "due",
    ]  # fmt: skip
    assert re.match(
        r"ustr-page +page +USTR +2h +yes +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +ok +0 +1 ", out[2]
    )
    assert main(["sources", "--json"], setup.env) == 0
    rows = [eval_json(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["name"] for row in rows] == ["state-list", "ustr-page"]
    assert rows[1]["interval"] == 7200
    assert rows[1]["status"] == "ok"
    assert rows[1]["documents"] == 1
    checked = datetime.fromisoformat(str(rows[1]["last_checked_at"]))
    assert datetime.fromisoformat(str(rows[1]["next_due_at"])) == checked + timedelta(hours=2)


def eval_json(line: str) -> dict[str, object]:
    import json

    loaded = json.loads(line)
    assert isinstance(loaded, dict)
    return loaded


def test_the_dry_run_shows_verdicts_and_one_document_and_writes_and_sends_nothing(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.configure(sources_toml(setup.base, slack=True))
    assert main(["check"], setup.env) == 0  # a store with rows in it, and a baseline
    setup.site.pages["/hled-joint"] = joint("$520")  # news a real check would record and send
    before, posts = setup.rows(), len(setup.slack.posts)
    capsys.readouterr()
    assert main(["test", "state-list"], setup.env) == 0
    out = capsys.readouterr().out
    assert setup.rows() == before
    assert len(setup.slack.posts) == posts
    base = setup.base
    assert f"match     {base}/hled-joint" in out  # not its photo link's miss before it
    assert "Photo gallery" not in out
    assert "4 links: 1 match, 1 no match, 1 verify, 1 refused" in out  # one line per address
    assert '"High-Level Economic Dialogue" in "Joint Statement on the U.S.-Mexico' in out
    assert f"no match  {base}/canada" in out
    assert "no keyword in Secretary travels to Ottawa" in out
    assert f"verify    {base}/readout" in out
    assert 'vague link text "Read more"' in out
    assert "refused   https://elsewhere.example/hled" in out
    assert f"document {base}/hled-joint" in out
    assert "fetch: ok, HTTP 200" in out
    assert "title: Joint Statement on the HLED" in out
    assert "published: 2023-09-29" in out
    assert "type: joint statement" in out
    assert "combined $520 million" in out  # the main text, fetched afresh
    assert "[commitment] EPA and CONAGUA committed" in out
    assert "$520 million" in out.split("commitments and accomplishments")[1]


def test_the_dry_run_of_another_url_and_of_an_unknown_source(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{setup.base}/readout"
    assert main(["test", "state-list", "--url", url], setup.env) == 0
    out = capsys.readouterr().out
    assert f"document {url}" in out
    assert "title: Readout of the HLED" in out
    assert not setup.db.exists()  # the dry run never opens, let alone creates, the store
    assert main(["test", "state-lst"], setup.env) == 2
    err = capsys.readouterr().err
    assert 'no source named "state-lst" (did you mean "state-list"?)' in err
    assert "(sources: state-list, ustr-page)" in err


def test_config_check_validates_without_fetching(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "check"], setup.env) == 0
    assert "ok: 2 sources (2 enabled), alerts to the console" in capsys.readouterr().out
    broken = setup.path / "broken.toml"
    text = sources_toml(setup.base)
    broken.write_text(text.replace('interval = "2h"', 'interval = "-2h"'), encoding="utf-8")
    assert main(["config", "check", "--config", str(broken)], setup.env) == 2
    assert 'source "ustr-page": interval: "-2h" must be positive' in capsys.readouterr().err
    broken.write_text(
        text + '[notify.slack]\nchannel = "#x"\nevents = ["new_documnet"]\n', encoding="utf-8"
    )
    assert main(["config", "check", "--config", str(broken)], setup.env) == 2
    err = capsys.readouterr().err
    assert 'events: "new_documnet" is not an event type (did you mean "new_document"?)' in err
    assert main(["config", "check", "--config", str(setup.path / "none.toml")], setup.env) == 2
    assert "pass --config PATH or set MONITOR_CONFIG" in capsys.readouterr().err
    assert setup.site.requests == []


@pytest.mark.parametrize(
    "command",
    [["history", "https://x.gov/a"], ["diff", "https://x.gov/a"], ["commitments"],
     ["deliveries"], ["sources"]],
)  # fmt: skip
def test_read_only_commands_never_create_a_store(
    setup: Setup, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(command, setup.env) == 2
    err = capsys.readouterr().err
    assert f"no store at sqlite:///{setup.db}" in err
    assert "--db URL or MONITOR_DATABASE_URL" in err
    assert not setup.db.exists()
    assert not setup.db.parent.exists()


def test_every_command_takes_db_and_v_q_after_its_name() -> None:
    parser = build_parser()
    for name in ("check", "run", "history", "diff", "commitments", "deliveries", "sources",
                 "test", "notify-test", "extract", "config"):  # fmt: skip
        args = ["x"] if name in ("history", "diff", "test", "extract") else []
        args += ["check"] if name == "config" else []
        parsed = parser.parse_args([name, *args, "-v", "-v", "-q", "--db", "sqlite://"])
        assert (parsed.verbose_after, parsed.quiet_after, parsed.db) == (2, 1, "sqlite://"), name
    for between in (["config", "-v", "check"], ["-v", "config", "check"], ["check", "-v"]):
        assert verbosity(parser.parse_args(between)) == 1, between  # none lost to a default


def test_db_points_every_command_at_the_store(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    other = setup.path / "elsewhere.db"
    assert main(["check", "--db", f"sqlite:///{other}", "-q"], setup.env) == 0
    assert other.exists()
    assert not setup.db.exists()
    capsys.readouterr()
    url = f"{setup.base}/hled-joint"
    assert main(["history", url, "--db", f"sqlite:///{other}"], setup.env) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Joint Statement on the HLED (USTR, joint statement)"
    assert out[1].split()[:4] == ["version", "fetched", "(local", "time)"]
    assert re.match(r" *1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[0-9a-f]{12} ", out[2])
    assert "+00:00" not in out[2]


def test_quiet_and_verbose_after_the_command(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "-q"], setup.env) == 0
    assert capsys.readouterr().out == ""  # no table, no baseline notes: nothing failed
    setup.site.pages["/list"] = "gone"
    setup.site.failures["/hled-joint"] = [500]
    assert main(["check", "-q"], setup.env) == 1
    out = capsys.readouterr().out
    assert "ustr-page: error:" in out
    assert "source  status" not in out


def test_json_without_a_channel_keeps_console_alerts_off_stderr_unless_verbose(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--json"], setup.env) == 0
    setup.site.pages["/hled-joint"] = joint("$520")
    capsys.readouterr()
    assert main(["check", "--json"], setup.env) == 0
    quiet = capsys.readouterr()
    assert '"type": "document_changed"' in quiet.out
    assert "HLED document changed" not in quiet.err
    setup.site.pages["/hled-joint"] = joint("$530")
    assert main(["check", "--json", "-v"], setup.env) == 0
    assert "HLED document changed" in capsys.readouterr().err


def test_commitments_table_and_diff_read_well(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{setup.base}/hled-joint"
    assert main(["check", "-q", "--source", "ustr-page"], setup.env) == 0
    setup.site.pages["/hled-joint"] = joint("$520")
    assert main(["check", "-q", "--source", "ustr-page"], setup.env) == 0
    capsys.readouterr()
    assert main(["commitments"], setup.env) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["status", "kind", "P", "published", "first", "seen", "sentence"]
    epa = next(line for line in lines if "EPA and CONAGUA" in line)
    assert " 2023-09-29 " in epa  # the document's publication date
    assert epa.endswith("…")  # cut, and saying so
    assert epa.index("EPA and CONAGUA") == lines[0].index("sentence")
    details = lines[lines.index(epa) + 1]
    assert len(details) - len(details.lstrip()) == lines[0].index("sentence")  # under it
    assert main(["commitments", "--status", "restated"], setup.env) == 0
    assert main(["commitments", "--status", "opne"], setup.env) == 2
    assert "invalid choice: 'opne'" in capsys.readouterr().err
    assert main(["diff", url], setup.env) == 0
    out = capsys.readouterr().out
    assert "amounts: $474 million -> $520 million" in " ".join(out.split())
    assert "['" not in out
    changed = re.split(r"\n  (?=\S)", out.split("commitment_changed: ", 1)[1])[0]  # its lines
    assert "shared border by the end of 2027. (amounts:" in " ".join(changed.split())
    assert all(len(line) <= 100 for line in changed.splitlines())  # wrapped, never cut


def test_sources_shows_failing_and_disabled_sources(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.configure(sources_toml(setup.base) + "enabled = false\n")  # ustr-page: disabled
    setup.site.failures["/list"] = [500]
    assert main(["check", "-q", "--source", "state-list"], setup.env) == 1
    capsys.readouterr()
    assert main(["sources", "--json"], setup.env) == 0
    listing, page = (eval_json(line) for line in capsys.readouterr().out.splitlines())
    assert (listing["status"], listing["consecutive_failures"]) == ("failing", 1)
    assert "500" in str(listing["last_error"])
    assert (page["status"], page["enabled"], page["next_due_at"]) == ("disabled", False, None)


def test_config_check_builds_the_channels_without_sending(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.configure(sources_toml(setup.base, slack=True))
    assert main(["config", "check"], setup.env) == 0
    assert "alerts to slack:#hled" in capsys.readouterr().out
    env = {k: v for k, v in setup.env.items() if k != "SLACK_BOT_TOKEN"}
    assert main(["config", "check"], env) == 2
    assert "notify.slack: set SLACK_BOT_TOKEN" in capsys.readouterr().err
    assert setup.slack.posts == []


def test_the_dry_run_uses_the_content_selector_and_says_when_the_document_failed(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.site.pages["/hled-joint"] = article(
        "Joint Statement on the HLED", "The HLED met today in Washington with both delegations."
    ).replace(
        "<main>", "<main><div id='kept'><p>Only this passage about the HLED is kept.</p></div>"
    )
    setup.configure(
        sources_toml(setup.base) + 'content_selector = "#kept"\n'  # on ustr-page
    )
    assert main(["test", "ustr-page"], setup.env) == 0
    text = capsys.readouterr().out.split("main text", 1)[1]
    assert "Only this passage about the HLED is kept." in text
    assert "both delegations" not in text
    assert main(["test", "ustr-page", "--url", f"{setup.base}/missing"], setup.env) == 1
    assert "fetch: gone: HTTP 404" in capsys.readouterr().out


def test_the_dry_run_decides_a_vague_link_by_its_page_as_the_check_does(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.site.pages["/vague"] = '<html><body><a href="/readout">Read more</a></body></html>'
    setup.configure(
        sources_toml(setup.base)
        + f'\n[[source]]\nname = "vague"\nagency = "State"\nkind = "listing"\nurl = "{setup.base}/vague"\n'
    )
    assert main(["test", "vague"], setup.env) == 0
    out = capsys.readouterr().out
    assert f"document {setup.base}/readout" in out
    assert "keywords in its title or opening: yes" in out
    setup.site.pages["/vague"] = setup.site.pages["/vague"].replace("/readout", "/canada")
    assert main(["test", "vague"], setup.env) == 0
    assert "keywords in its title or opening: no" in capsys.readouterr().out

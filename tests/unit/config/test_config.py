from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_settings, parse_duration
from monitor.errors import ConfigError

GOOD_SOURCE = """
[[source]]
name = "state-press"
agency = "State"
kind = "page"
url = "https://www.state.gov/x/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text))
    return str(raised.value)


def test_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD_SOURCE))
    (source,) = settings.sources
    assert source.targets == ("https://www.state.gov/x/",)
    assert source.interval == 3600
    assert source.enabled
    assert settings.fetch.max_bytes == 10_000_000
    assert "HLED" in source.keywords(settings.defaults.match)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", 30.0),
        ("15m", 900.0),
        ("2h", 7200.0),
        ("1d", 86400.0),
        ("250ms", 0.25),
        (5, 5.0),
    ],
)
def test_durations(text: object, expected: float) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            GOOD_SOURCE + 'interval = "30x"\n',
            'sources.toml: source "state-press": interval: "30x" is not a duration '
            "(use 30s, 15m, 2h)",
        ),
        (
            GOOD_SOURCE + 'intreval = "30s"\n',
            'sources.toml: source "state-press": unknown key "intreval" (did you mean "interval"?)',
        ),
        (
            GOOD_SOURCE.replace('agency = "State"\n', ""),
            'sources.toml: source "state-press": agency: is required',
        ),
        (
            GOOD_SOURCE.replace('kind = "page"', 'kind = "pgae"'),
            'sources.toml: source "state-press": kind: "pgae" is not a source kind',
        ),
        (
            GOOD_SOURCE.replace('url = "https://www.state.gov/x/"', 'url = "ftp://x/"'),
            'sources.toml: source "state-press": url: "ftp://x/" is not an http(s) URL',
        ),
        (
            GOOD_SOURCE + 'urls = ["https://a.gov/"]\n',
            'sources.toml: source "state-press": give exactly one of url or urls',
        ),
        (
            GOOD_SOURCE + GOOD_SOURCE,
            'sources.toml: source name "state-press" is used twice',
        ),
        (
            '[[source]]\nagency = "State"\nurl = "https://a.gov/"\n',
            "sources.toml: source #1: name: is required",
        ),
        (
            '[fetch]\ntimeout = "soon"\n',
            'sources.toml: fetch: timeout: "soon" is not a duration',
        ),
        (
            "[fetch]\nmax_byte = 5\n",
            'sources.toml: fetch: unknown key "max_byte" (did you mean "max_bytes"?)',
        ),
        (
            "[fetch]\nconcurrency = 0\n",
            "sources.toml: fetch: concurrency: 0 must be greater than 0",
        ),
        ("[fetch\n", "sources.toml: not valid TOML"),
        (
            GOOD_SOURCE + 'interval = "-5m"\n',
            'sources.toml: source "state-press": interval: "-5m" must be positive',
        ),
        (
            GOOD_SOURCE + 'interval = "0s"\n',
            'sources.toml: source "state-press": interval: must be positive',
        ),
        (
            GOOD_SOURCE + 'interval = "30s"\n',
            'source "state-press": interval: 30s is below the 1m floor (set [service] '
            "allow_fast_intervals = true",
        ),
        (
            GOOD_SOURCE.replace('"page"', '"listing"') + 'pages = "two"\n',
            'sources.toml: source "state-press": pages: "two" is not a whole number',
        ),
        (
            GOOD_SOURCE + 'enabled = "maybe"\n',
            'sources.toml: source "state-press": enabled: "maybe" must be true or false',
        ),
        (
            GOOD_SOURCE + 'content_selector = "div[[["\n',
            'source "state-press": content_selector: "div[[[" is not a valid CSS selector',
        ),
        (
            GOOD_SOURCE.replace('"page"', '"listing"') + 'item_selector = "li >"\n',
            'source "state-press": item_selector: "li >" is not a valid CSS selector',
        ),
        (
            GOOD_SOURCE + '[notify.slack]\nchannel = "#a"\nevents = ["new_documnet"]\n',
            'sources.toml: notify.slack #1: events: "new_documnet" is not an event type '
            '(did you mean "new_document"?)',
        ),
        (
            GOOD_SOURCE + '[[notify.email]]\nto = ["a@b.c"]\nfrom = "m@b.c"\nagencies = ["Stat"]\n',
            'sources.toml: notify.email #1: agencies: "Stat" is not the agency of any source '
            '(did you mean "State"?) (agencies: State)',
        ),
        ("", "sources.toml: no [[source]] in sources.toml: nothing to check"),
        ("[fetch]\nretries = 1\n", "no [[source]] in sources.toml"),
        (
            GOOD_SOURCE + 'paginate = "page/{n}/"\n',
            'sources.toml: source "state-press": paginate: only for kind listing, not "page"',
        ),
        (
            GOOD_SOURCE.replace('"page"', '"feed"') + 'item_selector = "li"\n',
            'sources.toml: source "state-press": item_selector: only for kind listing, not "feed"',
        ),
        (
            GOOD_SOURCE + 'match = ["HLED"]\n',
            'source "state-press": match: only for kind feed or listing or sitemap or wp-json',
        ),
        (
            GOOD_SOURCE.replace('"page"', '"listing"') + 'paginate = "page/2/"\n',
            'source "state-press": paginate: "page/2/" has no {n} for the page number',
        ),
    ],
)
def test_errors_name_file_source_and_field(tmp_path: Path, body: str, message: str) -> None:
    assert message in error_of(tmp_path, body).replace(str(tmp_path) + "/", "")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found") as raised:
        load_settings(tmp_path / "nope.toml")
    assert "--config PATH" in str(raised.value)
    assert "MONITOR_CONFIG" in str(raised.value)


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD_SOURCE + 'interval = "x"\nenabled = "maybe"\n')
    assert "interval" in message
    assert "enabled" in message


def test_notify_accepts_a_table_or_an_array_of_tables(tmp_path: Path) -> None:
    one = load_settings(write(tmp_path, GOOD_SOURCE + '[notify.slack]\nchannel = "#a"\n'))
    assert [d.channel for d in one.notify.slack] == ["#a"]
    many = load_settings(
        write(
            tmp_path,
            GOOD_SOURCE + '[[notify.slack]]\nchannel = "#a"\n[[notify.slack]]\nchannel = "#b"\n',
        )
    )
    assert [d.channel for d in many.notify.slack] == ["#a", "#b"]


def test_unknown_source_name_is_a_config_error(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD_SOURCE))
    with pytest.raises(ConfigError, match='no source named "other"') as raised:
        settings.source("other")
    assert "(sources: state-press)" in str(raised.value)
    with pytest.raises(ConfigError, match='did you mean "state-press"'):
        settings.source("state-pres")


def test_no_pydantic_wording_reaches_the_user(tmp_path: Path) -> None:
    body = GOOD_SOURCE.replace('"page"', '"listing"')
    body += 'pages = "x"\nfirst_page = 1.5\nenabled = "y"\nname2 = 1\n[fetch]\nretries = -1\n'
    message = error_of(tmp_path, body)
    for phrase in ("Input should", "valid integer", "unable to parse", "Value error"):
        assert phrase not in message


def test_fast_intervals_need_an_explicit_switch(tmp_path: Path) -> None:
    body = GOOD_SOURCE + 'interval = "10s"\n[service]\nallow_fast_intervals = true\n'
    assert load_settings(write(tmp_path, body)).sources[0].interval == 10


def test_an_event_type_without_a_close_one_lists_them_all(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD_SOURCE + '[notify.slack]\nchannel = "#a"\nevents = ["x"]\n')
    assert '"x" is not an event type (one of: new_document, document_changed,' in message
    assert "commitment_progressed)" in message


def test_known_events_and_agencies_load(tmp_path: Path) -> None:
    body = GOOD_SOURCE + (
        '[notify.slack]\nchannel = "#a"\nevents = ["new_document", "commitment_fulfilled"]\n'
        'agencies = ["State"]\n'
    )
    assert load_settings(write(tmp_path, body)).notify.slack[0].agencies == ("State",)

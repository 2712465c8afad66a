"""Link policy in a check: `allow_hosts` lets a page follow a redirect to another host."""

from __future__ import annotations

import pytest

from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, check


def ita(**keys: object) -> dict[str, object]:
    return {"name": "ita", "agency": "Commerce", "url": "https://trade.gov/hled", **keys}


@pytest.fixture
def site() -> FakeSite:
    # The bare domain sends everyone to www: another host, as far as the policy goes.
    site = FakeSite({"/hled-page": article("U.S.-Mexico High-Level Economic Dialogue", HLED_TEXT)})
    site.redirects["/hled"] = (301, "https://www.trade.gov/hled-page")
    return site


def test_a_redirect_to_another_host_is_refused_and_says_how_to_allow_it(
    site: FakeSite, store: Store, clock: Clock
) -> None:
    result = check(make_settings(ita()), store, site, clock)
    (error,) = result.reports[0].errors
    assert "refused to follow https://www.trade.gov/hled-page" in error
    assert "allow_hosts" in error
    assert site.urls == ["https://trade.gov/hled"]  # the hop itself was never requested


def test_a_page_may_allow_the_host_it_redirects_to(
    site: FakeSite, store: Store, clock: Clock
) -> None:
    result = check(make_settings(ita(allow_hosts=["www.trade.gov"])), store, site, clock)
    assert result.reports[0].errors == []
    (document,) = store.documents()
    assert document.current_url == "https://www.trade.gov/hled-page"


def test_another_port_is_another_origin_unless_allowed_with_its_port(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({"/hled-page": article("U.S.-Mexico High-Level Economic Dialogue", HLED_TEXT)})
    site.redirects["/hled"] = (302, "https://trade.gov:8443/hled-page")
    refused = check(make_settings(ita()), store, site, clock)
    (error,) = refused.reports[0].errors
    assert "trade.gov:8443 is another service on trade.gov" in error
    assert site.urls == ["https://trade.gov/hled"]
    # A bare host allows its standard ports only; with the port, that service is allowed.
    assert check(make_settings(ita(allow_hosts=["trade.gov"])), store, site, clock).failed
    allowed = check(make_settings(ita(allow_hosts=["trade.gov:8443"])), store, site, clock)
    assert allowed.reports[0].errors == []
    assert site.urls[-1] == "https://trade.gov:8443/hled-page"


def test_a_site_on_the_standard_ports_may_upgrade_to_https(store: Store, clock: Clock) -> None:
    site = FakeSite({"/hled-page": article("U.S.-Mexico High-Level Economic Dialogue", HLED_TEXT)})
    site.redirects["/hled"] = (301, "https://trade.gov/hled-page")
    result = check(make_settings(ita(url="http://trade.gov/hled")), store, site, clock)
    assert result.reports[0].errors == []

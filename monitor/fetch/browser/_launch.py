"""Find the system's Chromium and start it through Playwright: never a browser of its own.

Playwright drives the Chromium of the operating system's package (Debian ``chromium``) through
``executable_path``; nothing is downloaded at install or run time.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from monitor.config import BrowserConfig
from monitor.errors import BrowserUnavailable

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

# Debian and Ubuntu name it chromium / chromium-browser.
CHROMIUM_NAMES = ("chromium", "chromium-browser")
LAUNCH_TIMEOUT_MS = 30_000


def find_chromium(config: BrowserConfig) -> str:
    """The Chromium to run, or BrowserUnavailable saying what to install or set."""
    if config.executable:
        found = shutil.which(config.executable)
        if found is None:
            raise BrowserUnavailable(
                f"[browser] executable {config.executable!r} is not an executable file"
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise BrowserUnavailable(
        "no Chromium found on PATH (install the operating system's chromium package, "
        "or set [browser] executable)"
    )


def launch_args(config: BrowserConfig) -> list[str]:
    """Chromium switches: the memory cap, and no network paths around request interception."""
    return [
        # V8 gives up (the page crashes, and is reported) past the heap limit.
        f"--js-flags=--max-old-space-size={config.max_memory}",
        # WebRTC could reach any address over UDP, outside request interception.
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--dns-prefetch-disable",
        *config.args,
    ]


async def start_browser(config: BrowserConfig) -> tuple[Playwright, Browser]:
    """Start Playwright's driver and the system Chromium; BrowserUnavailable when either fails."""
    executable = find_chromium(config)
    try:
        from playwright.async_api import Error, async_playwright
    except ImportError:
        raise BrowserUnavailable(
            "Playwright is not installed (pip install 'hled-monitor[browser]')"
        ) from None
    playwright = await async_playwright().start()
    try:
        browser = await playwright.chromium.launch(
            executable_path=executable,
            args=launch_args(config),
            headless=True,
            timeout=LAUNCH_TIMEOUT_MS,
        )
    except Error as exc:
        await playwright.stop()
        first_line = (exc.message or str(exc)).strip().splitlines()[0:1]
        raise BrowserUnavailable(
            f"Chromium at {executable} did not start: {' '.join(first_line)}"
        ) from None
    return playwright, browser

"""A second process that fetches and extracts pages for a check, so a pass can use two cores.

Why: a check is one asyncio process. With politeness off (``per_host_delay = 0``: mirrors,
internal sites, the benchmark) its time goes to httpx's CPU work per request and to main-text
extraction, one core's worth, while a second core idles. The helper is this very process,
forked after its imports (nothing to import again; memory shared copy-on-write) and before the
store is opened. It runs a ``Fetcher`` of its own, and extracts each page it fetched when asked.
The store, events and alerts stay in the parent: only network and parsing move.

Requests and results travel as length-prefixed pickles over a socket pair. Pickle is safe here:
both ends are this program, and nothing else can reach an unnamed socket pair.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from monitor.config import FetchConfig
from monitor.errors import ExtractError, MonitorError
from monitor.fetch.client import HTML_TYPES, Fetcher, UrlGuard
from monitor.models import ExtractHint, FetchResult, FetchStatus, Validators
from monitor.text.article import page_of
from store.repo import compress_body

log = logging.getLogger(__name__)

_LENGTH = struct.Struct("!I")
STOP_DEADLINE = 10.0  # seconds a helper has to leave once the check is done
HEARTBEAT = 2.0  # seconds between the helper's "still here" while it holds requests
SILENCE = 30.0  # seconds without a word from a helper holding requests: it is gone
ANSWERS_BUFFER = 4 * 1024 * 1024  # ~50 answers with their pages
# number, url, validators, accept, guard, extract, source
Request = tuple[
    int, str, Validators | None, tuple[str, ...], UrlGuard | None, ExtractHint | None, str
]


class HelperGone(MonitorError):
    """The helper cannot take this request (it stopped, or the request cannot travel)."""


@dataclass
class Helper:
    """The parent's handle on a running helper: its pid and our end of the socket pair."""

    pid: int
    sock: socket.socket

    @classmethod
    def start(cls, config: FetchConfig) -> Helper | None:
        """Fork the helper, or None where one would not help or would not be safe."""
        if not helps(config):
            return None
        ours, theirs = socket.socketpair()
        sys.stdout.flush()  # or buffered output would be written twice, once by each process
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the helper
            ours.close()
            _run_helper(theirs, half(config, 1))
        theirs.close()
        return cls(pid, ours)

    def stop(self) -> None:
        """Close our end (the helper sees it and exits) and wait, so its CPU time counts as ours.

        A helper that has not left after ``STOP_DEADLINE`` seconds is killed: a check ends.
        """
        self.sock.close()
        deadline = time.monotonic() + STOP_DEADLINE
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                log.warning("fetch helper did not stop within %gs: killed", STOP_DEADLINE)
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                return
            time.sleep(0.005)


@contextmanager
def fetch_helper(config: FetchConfig) -> Iterator[Helper | None]:
    """A helper for the block (None where it would not help), stopped and reaped at its end."""
    helper = Helper.start(config)
    try:
        yield helper
    finally:
        if helper is not None:
            helper.stop()


def helps(config: FetchConfig) -> bool:
    """Whether a helper is worth starting: two cores, politeness off, and safe to fork."""
    if config.processes < 2 or not hasattr(os, "fork") or _cores() < 2:
        return False
    # With a per-host delay the delay, not the CPU, sets a check's pace; and the delay must be
    # kept by one process. Each side needs at least one request per host and overall.
    if config.per_host_delay > 0 or config.per_host_concurrency < 2 or config.concurrency < 2:
        return False
    # Only a single-threaded process can be forked safely (another thread's locks would be
    # copied held, and never released in the child).
    return threading.active_count() == 1


def _cores() -> int:
    """The cores this process may run on (its affinity where the system has one: containers)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def half(config: FetchConfig, side: int) -> FetchConfig:
    """The limits of one side (0: this process, 1: the helper): together, the configured ones."""

    def share(total: int) -> int:
        return (total + 1 - side) // 2

    return config.model_copy(
        update={
            "concurrency": share(config.concurrency),
            "per_host_concurrency": share(config.per_host_concurrency),
            "retry_budget": share(config.retry_budget),
        }
    )


# -- the helper's side -------------------------------------------------------------------------


def _run_helper(sock: socket.socket, config: FetchConfig) -> NoReturn:
    code = 0
    try:
        asyncio.run(serve(sock, config))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent reports it
        code = 130
    except BaseException:  # the parent falls back to fetching itself; say why once
        log.exception("fetch helper stopped")
        code = 1
    finally:
        os._exit(code)  # never run the parent's exit handlers (stdout, the store) twice


async def serve(sock: socket.socket, config: FetchConfig, fetcher: Fetcher | None = None) -> None:
    """Answer requests from ``sock`` until it closes. ``fetcher``: for tests, a mock transport."""
    reader, writer = await asyncio.open_connection(sock=sock)
    # Answers wait in this buffer while the parent is busy (64 KiB by default: less than one
    # page), so the helper goes on fetching instead of waiting for the parent to read.
    writer.transport.set_write_buffer_limits(high=ANSWERS_BUFFER)
    fetcher = fetcher or Fetcher(config)
    sending = asyncio.Lock()
    running: set[asyncio.Task[None]] = set()

    async def answer(request: Request) -> None:
        number, url, validators, accept, guard, hint, source = request
        try:
            result = await fetcher.fetch(url, validators, accept, guard, source=source)
            if hint is not None and result.has_body:
                result = _extracted(result, hint)
            # With each answer, how many requests the helper still holds: the parent's measure
            # of whether the helper is behind (its own count would include unread answers).
            frame = _frame((number, result, len(running) - 1))
        except Exception as exc:  # the parent waits for an answer to every request
            log.exception("fetch helper: %s", url)
            failed = FetchResult(url, FetchStatus.ERROR, reason=f"internal error: {exc!r}")
            frame = _frame((number, failed, len(running) - 1))
        async with sending:  # one frame at a time; drain so results wait here, not in memory
            writer.write(frame)
            await writer.drain()

    async def heartbeat() -> None:  # so the parent can tell slow answers from a stuck helper
        while True:
            await asyncio.sleep(HEARTBEAT)
            if running:
                async with sending:
                    writer.write(_frame((None, None, len(running))))
                    await writer.drain()

    beating = asyncio.create_task(heartbeat())
    try:
        while (request := await _read_frame(reader)) is not None:
            task = asyncio.create_task(answer(request))
            running.add(task)
            task.add_done_callback(running.discard)
    finally:
        beating.cancel()
        for task in running:
            task.cancel()
        writer.close()  # the parent sees the end now, whatever closing the client takes
        await fetcher.aclose()


def _extracted(result: FetchResult, hint: ExtractHint) -> FetchResult:
    """The page, its fingerprint and the body as stored: work the parent need not do."""
    try:
        page = page_of(result, hint.content_selector)
    except ExtractError as exc:
        return replace(result, extract_error=str(exc))
    page.fingerprint  # noqa: B018 (computed here, cached on the page, pickled with it)
    return replace(result, page=page, body=b"", compressed_body=compress_body(result.body))


# -- the parent's side -------------------------------------------------------------------------


class RemoteFetcher:
    """Fetches through the helper: sends requests, and hands each result to its caller."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._numbers = itertools.count()
        self._waiting: dict[int, asyncio.Future[FetchResult]] = {}
        self._sending = asyncio.Lock()
        self._writer: asyncio.StreamWriter | None = None
        self._reading: asyncio.Task[None] | None = None
        self._watching: asyncio.Task[None] | None = None
        self._heard = 0.0  # when the helper last said something (or was first given work)
        self.gone = False
        # Requests the helper holds: as it said with its last answer, plus those sent since.
        self.backlog = 0

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        accept: tuple[str, ...] = HTML_TYPES,
        guard: UrlGuard | None = None,
        extract: ExtractHint | None = None,
        source: str = "",
    ) -> FetchResult:
        """The helper's answer; HelperGone when it cannot give one (the caller fetches then)."""
        number = next(self._numbers)
        try:
            frame = _frame((number, url, validators, accept, guard, extract, source))
        except (pickle.PicklingError, AttributeError, TypeError) as exc:  # a guard made in place
            raise HelperGone(f"request cannot travel to the helper: {exc}") from None
        answer = asyncio.get_running_loop().create_future()
        if not self._waiting:
            self._heard = time.monotonic()  # silence while it held nothing does not count
        self._waiting[number] = answer
        try:
            async with self._sending:
                writer = await self._connected()
                writer.write(frame)
                self.backlog += 1
                await writer.drain()
            result: FetchResult = await answer
            return result
        except (ConnectionError, OSError) as exc:
            raise HelperGone(f"the fetch helper has stopped: {exc}") from None
        finally:
            self._waiting.pop(number, None)

    async def _connected(self) -> asyncio.StreamWriter:
        """The stream to the helper, opened on first use (holding ``_sending``)."""
        if self.gone:
            raise HelperGone("the fetch helper has stopped")
        if self._writer is None:
            try:
                reader, self._writer = await asyncio.open_connection(sock=self._sock)
            except BaseException:  # cancelled or failed: asyncio has closed the socket
                self.gone = True
                raise
            self._reading = asyncio.create_task(self._read_answers(reader))
            self._watching = asyncio.create_task(self._watch())
        return self._writer

    async def _watch(self) -> None:
        """Give up on a helper that holds requests and has said nothing for SILENCE seconds."""
        while not self.gone:
            await asyncio.sleep(HEARTBEAT)
            if self._waiting and time.monotonic() - self._heard > SILENCE:
                log.warning(
                    "fetch helper silent for %gs with %d requests: making them here",
                    SILENCE,
                    len(self._waiting),
                )
                self._give_up()

    def _give_up(self) -> None:
        self.gone = True
        if self._writer is not None:
            self._writer.transport.abort()  # the reader sees the end, and fails the waiting

    async def _read_answers(self, reader: asyncio.StreamReader) -> None:
        try:
            while (answer := await _read_frame(reader)) is not None:
                number, result, self.backlog = answer
                self._heard = time.monotonic()
                if number is None:  # a heartbeat
                    continue
                waiting = self._waiting.pop(number, None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(result)
        except (ConnectionError, OSError, pickle.UnpicklingError) as exc:
            log.warning("fetch helper: %s", exc)
        finally:
            self.gone = True
            for waiting in self._waiting.values():
                if not waiting.done():
                    waiting.set_exception(HelperGone("the fetch helper has stopped"))
            self._waiting.clear()

    async def aclose(self) -> None:
        """Tell the helper we are done (end of stream); it answers by closing its end."""
        if self._writer is None:  # never connected: closing the socket says the same
            self._sock.close()
            return
        if self._watching is not None:
            self._watching.cancel()
        if not self.gone:
            self._writer.write_eof()
        if self._reading is not None:
            try:
                async with asyncio.timeout(STOP_DEADLINE):
                    await self._reading
            except TimeoutError:
                self._give_up()
                await self._reading
        self._writer.close()


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


async def _read_frame(reader: asyncio.StreamReader) -> Any:
    """The next message, or None at the end of the stream."""
    try:
        header = await reader.readexactly(_LENGTH.size)
        data = await reader.readexactly(_LENGTH.unpack(header)[0])
        return pickle.loads(data)  # noqa: S301 (our own child's words: see the docstring)
    except asyncio.IncompleteReadError:
        return None

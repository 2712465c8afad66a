"""Run `python -m monitor run` as a real process and follow its JSON log lines (no sleeps)."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

LogLine = dict[str, Any]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceProcess:
    def __init__(
        self,
        config: Path,
        env: Mapping[str, str],
        python: str = sys.executable,
        cwd: Path | None = None,
    ) -> None:
        self.port = free_port()
        full_env = {
            **os.environ,
            "MONITOR_CONFIG": str(config),
            "MONITOR_LISTEN": f"127.0.0.1:{self.port}",
            "MONITOR_LOG_LEVEL": "INFO",
            "MONITOR_LOG_FORMAT": "json",
            **env,
        }
        self.process = subprocess.Popen(
            [python, "-m", "monitor", "run"],
            env=full_env,
            cwd=cwd or config.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[LogLine] = queue.Queue()
        self.history: list[LogLine] = []  # every log line, whether waited for or not
        self.stdout: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_logs, daemon=True),
            threading.Thread(target=self._read_stdout, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_logs(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            try:
                line = json.loads(raw)
            except json.JSONDecodeError:
                line = {"message": raw.rstrip("\n"), "raw": True}
            self.history.append(line)
            self.lines.put(line)

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.stdout.append(raw)

    def wait_for(self, predicate: Callable[[LogLine], bool], timeout: float = 30) -> LogLine:
        """The first log line (from now on) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("no such log line in time")
            line = self.lines.get(timeout=remaining)
            if predicate(line):
                return line

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def stop(self, timeout: float = 30, *, terminate: bool = True) -> int:
        """SIGTERM if still running; wait; close the pipes once the readers hit end of file."""
        if terminate and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        return code


def started(line: LogLine) -> bool:
    return str(line.get("message", "")).startswith("service started")


def checked(name: str) -> Callable[[LogLine], bool]:
    return lambda line: line.get("source") == name and "status" in line

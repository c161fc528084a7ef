"""bench/peer_ivr.py's caller: SIPp with bench/peer_ivr_uac.xml (the caller scenario of the
Asterisk side-by-side, ../shared/notes/asterisk-peer.md), one bounded run in the
background, and what its statistics, error log, round-trip times and message log say.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.pool_sipp import answer_times

SCENARIO = Path(__file__).resolve().parent / "peer_ivr_uac.xml"
LATE_MS = 1000  # a BYE more than this after the '1' was sent: the digit was heard late


@dataclass
class PeerResult:
    completed: int
    failed: int
    failures: Counter[str]  # by SIP status or SIPp's failure counter
    lost_digits: int  # no BYE within 10 s of the '1'
    late_digits: int  # a BYE, but more than LATE_MS after the '1'
    after_digit: list[float]  # '1' sent -> BYE received, ms
    answers: list[float]  # INVITE -> 200, ms


@dataclass
class PeerRun:
    """`sipp` as the note ran it: -d pause_ms, -r rate, -m calls, -l limit (127.0.0.1)."""
    workdir: Path
    target: int
    calls: int
    limit: int
    rate: float
    pause_ms: int
    timeout: int
    local: int = 16000
    media: int = 32000
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    @property
    def folder(self) -> Path:
        return self.workdir / "sipp"

    def command(self) -> list[str]:
        return ["sipp", f"127.0.0.1:{self.target}", "-sf", str(self.folder / SCENARIO.name),
                "-s", "100", "-d", str(self.pause_ms), "-i", "127.0.0.1", "-p", str(self.local),
                "-mi", "127.0.0.1", "-mp", str(self.media), "-r", f"{self.rate:g}",
                "-m", str(self.calls), "-l", str(self.limit), "-timeout", f"{self.timeout}s",
                "-nostdin", "-trace_screen", "-trace_stat", "-stf", str(self.folder / "stat.csv"),
                "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file",
                str(self.folder / "errors.log"), "-trace_msg", "-message_file",
                str(self.folder / "messages.log")]

    def start(self) -> None:
        if self.folder.exists():
            for old in self.folder.iterdir():
                old.unlink()
        self.folder.mkdir(exist_ok=True)
        (self.folder / SCENARIO.name).write_text(SCENARIO.read_text(encoding="latin-1"),
                                                 encoding="latin-1")
        self.process = subprocess.Popen(self.command(), cwd=self.folder, text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self) -> PeerResult:
        assert self.process is not None
        _, err = self.process.communicate(timeout=self.timeout + 60)
        stats = last_stats(self.folder / "stat.csv")
        if not stats:
            raise RuntimeError(f"SIPp wrote no statistics: {err.strip()[-500:]}")
        failures: Counter[str] = Counter()
        errors = self.folder / "errors.log"
        if errors.exists():
            text = errors.read_text(errors="replace")
            failures.update(f"unexpected {method}" for method in re.findall(
                r"Aborting call on an unexpected (\w+)", text))
            failures.update(re.findall(  # not "Dead call ... received": our aborts' answers
                r"Aborting call on unexpected message[^\n]*received 'SIP/2\.0 (\d{3}[^\r\n']*)",
                text))
        for name, value in stats.items():
            if name.startswith("Failed") and name.endswith("(C)") and name != "FailedCall(C)" \
                    and name != "FailedUnexpectedMessage(C)" and value:
                failures[name[len("Failed"):-3]] += value
        after = [ms - self.pause_ms for ms in rtds(self.folder, "2")]
        return PeerResult(stats.get("SuccessfulCall(C)", 0), stats.get("FailedCall(C)", 0),
                          failures, stats.get("FailedTimeoutOnRecv(C)", 0),
                          sum(1 for ms in after if ms > LATE_MS), after,
                          answer_times(self.folder / "messages.log"))

    def keep(self) -> Path:
        """SIPp's error log, copied out of the run's folder (which goes at the end)."""
        kept = Path(tempfile.gettempdir()) / f"peer-ivr-sipp-errors-{int(time.time())}.log"
        with contextlib.suppress(OSError):
            shutil.copy(self.folder / "errors.log", kept)
        for screen in self.folder.glob("*_screen.log"):  # SIPp's last screen: per step
            with contextlib.suppress(OSError):
                shutil.copy(screen, kept.with_suffix(".screen"))
        return kept

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def last_stats(path: Path) -> dict[str, int]:
    """The cumulative counters of SIPp's last statistics line (-trace_stat)."""
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except OSError:
        return {}
    if len(lines) < 2:
        return {}
    header, last = lines[0].split(";"), lines[-1].split(";")
    return {name: int(value) for name, value in zip(header, last, strict=False)
            if value.strip().isdigit()}


def rtds(folder: Path, name: str) -> list[float]:
    """SIPp's response times (ms) for the timer `name` (-trace_rtt, every call)."""
    values = []
    for csv in folder.glob("*_rtt.csv"):
        for line in csv.read_text().splitlines()[1:]:
            fields = line.split(";")
            if len(fields) >= 3 and fields[2].strip() == name:
                values.append(float(fields[1]))
    return values


def quantiles(values: list[float]) -> str:
    """'p50 / p95 ms' of `values`."""
    if len(values) < 2:
        return "n/a"
    cut = statistics.quantiles(values, n=100, method="inclusive")
    return f"{cut[49]:.1f} / {cut[94]:.1f} ms"

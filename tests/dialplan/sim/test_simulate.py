"""`dialplan simulate`: a session through a pseudo-terminal, piped input, and errors."""

from __future__ import annotations

import datetime as dt
import io
import os
import pty
import select
import subprocess
import sys
import time

from dialplan.build import build_file
from dialplan.cli.main import main
from dialplan.sim import VirtualCall
from dialplan.sim.call import DEFAULT_START
from dialplan.sim.console import Console

DEMO = "examples/dialplans/demo.dialplan"
COMMAND = [sys.executable, "-m", "dialplan", "simulate", DEMO,
           "--at", "2026-12-24 09:30 Europe/Berlin"]


class Terminal:
    """The simulator on the slave side of a pseudo-terminal; we type on the master."""

    def __init__(self, argv: list[str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the simulator
            os.execv(argv[0], argv)
        self.output = ""

    def expect(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never came; got:\n{self.output}"
            if select.select([self.fd], [], [], remaining)[0]:
                try:
                    self.output += os.read(self.fd, 4096).decode().replace("\r\n", "\n")
                except OSError:  # the child closed the terminal
                    break
        assert text in self.output, f"{text!r} never came; got:\n{self.output}"
        seen, self.output = self.output.split(text, 1)
        return seen + text

    def type(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())

    def exit_code(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def test_a_full_pass_through_the_demo_menu_in_a_pseudo_terminal():
    term = Terminal(COMMAND)
    banner = term.expect("> ")
    assert "plan version" in banner and "2026-12-24 09:30 Europe/Berlin" in banner
    assert "  answers\n" in banner
    assert 'says "Welcome to the dialplan demo."' in banner
    assert "[demo.menu | plan " in banner and "next timer in 5s" in banner
    term.type("2")
    pending = term.expect("> ")
    assert 'transfer "sip:200@127.0.0.1:5070"' in pending
    assert "transfer sip:200@127.0.0.1:5070: answer | busy | noanswer | fail" in pending
    term.type("fail")
    after = term.expect("> ")
    assert after.index('says "The transfer failed."') < after.index('says "Goodbye."') \
        < after.index("hangs up (normal)")
    assert "[ended | plan " in after
    term.type("hangup")
    assert "! the call has ended" in term.expect("> ")
    term.type("quit")
    assert term.exit_code() == 0


def test_piped_input_is_echoed_and_end_of_input_ends_cleanly():
    done = subprocess.run(COMMAND, input="help\n9\nwait 6s\nsay hello\n1\n", text=True,
                          capture_output=True, timeout=20)
    assert done.returncode == 0 and done.stderr == ""
    out = done.stdout
    assert "> help\ncommands:" in out
    assert out.count("Press 1 to hear goodbye") == 3  # the prompt, after 9 and after 6 s
    assert "That is not an option." in out and "nobody is listening" in out
    version = build_file(str(DEMO)).plan.version  # type: ignore[union-attr]
    assert out.splitlines()[-2:] == [f"[ended | plan {version} | t=6s]", "> "]


def console_session(lines: list[str]) -> str:
    plan = build_file(DEMO).plan
    assert plan is not None

    def place(at: dt.datetime) -> VirtualCall:
        call = VirtualCall(plan, at=at)
        call.start()
        return call

    out = io.StringIO()
    Console(place, DEFAULT_START, out).run(lines)
    return out.getvalue()


def test_the_console_takes_outcomes_vars_restart_and_unknown_commands():
    out = console_session(["2", "answer", "restart", "vars", "frobnicate", "busy"])
    assert out.count('says "Welcome to the dialplan demo."') == 2
    assert "  caller = '5551234'" in out
    assert "! unknown command 'frobnicate'; type help" in out
    assert "! nothing is pending" in out


def test_a_broken_plan_prints_diagnostics_and_exits_1(tmp_path, capsys):
    broken = tmp_path / "broken.dialplan"
    broken.write_text("route 100 -> nowhere\n")
    assert main(["simulate", str(broken)]) == 1
    assert "E302" in capsys.readouterr().out


def test_an_unreadable_time_or_timing_or_a_missing_file_exits_2(capsys):
    assert main(["simulate", DEMO, "--at", "soon"]) == 2
    assert main(["simulate", DEMO, "--prompts", "slow"]) == 2
    assert main(["simulate", "no/such.dialplan"]) == 2
    assert "--at: cannot read 'soon'" in capsys.readouterr().err

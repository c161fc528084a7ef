"""Small plans for service tests, and a way to read a call's path from the call log."""

from __future__ import annotations

import json
import re

MENU_PLAN = """route 100 -> main
flow main {{
  start:
    answer
    menu "Press 1." timeout 8s attempts 2 {{
      1 -> {target}
      exhausted -> hangup
    }}
  old_target:
    say "{say}"
    hangup
  new_target:
    say "{say}"
    hangup
}}
"""


def menu_plan(target: str = "old_target", say: str = "Bye.") -> str:
    return MENU_PLAN.format(target=target, say=say)


def call_paths(log: str) -> dict[str, list[str]]:
    """Call id -> states entered, `<Event>`s received and commands run, in order."""
    paths: dict[str, list[str]] = {}
    for line in log.splitlines():
        match = re.search(r"dialplan\.calls: \w+ (\{.*\})$", line)
        if not match:
            continue
        record = json.loads(match.group(1))
        steps = paths.setdefault(record["call"], [])
        if record["event"] == "state_entered":
            steps.append(record["state"])
        if "input" in record:
            steps.append(f"<{record['input']['type']}>")
        steps.extend(command["type"] for command in record.get("commands", []))
    return paths


def call_versions(log: str) -> dict[str, str]:
    found = re.findall(r'"call": "([^"]+)", "version": "([0-9a-f]+)", "event": "call_started"',
                       log)
    return dict(found)

"""Lint configuration from TOML: `dialplan.toml`, found next to the linted files or above.

    [lint]
    select = ["E", "L"]            # code prefixes to report (default: everything)
    ignore = ["L202"]
    prompts = ["prompts"]          # prompt folders, relative to this file (default:
                                   # `prompts` beside this file; without a file, beside
                                   # each plan)
    allowed_targets = ["sip:*@127.0.0.1:*"]   # globs; unset: targets are not checked
    allowed_urls = ["https://api.example.com/v1/"]   # `fetch` URLs (unset: [serve]'s;
                                                     # neither: not checked)

    [directory]                    # the extensions `dial extension` and routes are
    url = "postgresql://..."       # checked against (read only; default var/dialplan.db
                                   # beside this file; missing or unreadable: no checks)

    [lint.severity]
    L102 = "error"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..trunks import Trunk, TrunkError, trunks_from_document
from .directory import DirectoryConfigError, configured_numbers

CONFIG_NAME = "dialplan.toml"
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    pass


@dataclass
class LintConfig:
    select: tuple[str, ...] = ("",)
    ignore: tuple[str, ...] = ()
    # None: `prompts` beside each plan (there is no configuration file to be relative to)
    prompt_dirs: list[Path] | None = None
    allowed_targets: list[str] | None = None
    allowed_urls: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    extensions: frozenset[str] | None = None  # the directory's numbers; None: no directory
    trunks: tuple[Trunk, ...] | None = None  # [trunks.NAME]; None: no dialplan.toml

    def wants(self, code: str) -> bool:
        selected = any(code.startswith(prefix) for prefix in self.select)
        return selected and not any(code.startswith(prefix) for prefix in self.ignore)


def find_config(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
    return None


def _strings(table: dict[str, Any], key: str, where: Path) -> list[str] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [lint] {key} must be a list of strings")
    return value


def load_config(path: Path | None) -> LintConfig:
    if path is None:
        return LintConfig()
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    table = data.get("lint", {})
    severity = table.get("severity", {})
    bad = {k: v for k, v in severity.items() if v not in SEVERITIES}
    if bad:
        raise ConfigError(f"{path}: [lint.severity] takes one of {SEVERITIES}, got {bad}")
    prompts = _strings(table, "prompts", path)
    return LintConfig(
        select=tuple(_strings(table, "select", path) or ("",)),
        ignore=tuple(_strings(table, "ignore", path) or ()),
        prompt_dirs=[path.parent / p for p in prompts] if prompts is not None
        else [path.parent / "prompts"],
        allowed_targets=_strings(table, "allowed_targets", path),
        allowed_urls=_strings(table, "allowed_urls", path)
        or _strings(data.get("serve", {}), "allowed_urls", path),
        severity=dict(severity),
        path=path,
        extensions=_extensions(path),
        trunks=_trunks(data, path),
    )


def _extensions(path: Path) -> frozenset[str] | None:
    try:
        return configured_numbers(path)
    except DirectoryConfigError as error:
        raise ConfigError(str(error)) from error


def _trunks(data: dict[str, Any], path: Path) -> tuple[Trunk, ...]:
    try:
        return trunks_from_document(data, path.parent)
    except TrunkError as error:
        raise ConfigError(f"{path}: {error}") from error

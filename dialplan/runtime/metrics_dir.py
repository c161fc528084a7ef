"""Where a pool's processes keep their metrics (prometheus-client's multiprocess mode).

prometheus-client decides once, when it is first imported, whether metric values live
in files that several processes share: by the PROMETHEUS_MULTIPROC_DIR environment
variable. So a pool points it at a folder of its own run, emptied first (an earlier
run's files would be added up too), before anything imports prometheus_client; which is
why this module must not import it, and why it refuses to come too late.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def use_metrics_dir(folder: Path) -> None:
    """Make `folder` (emptied) where this process and its forks keep their metrics."""
    if "prometheus_client" in sys.modules and os.environ.get(VARIABLE) is None:
        raise RuntimeError("prometheus_client was imported before the pool chose its "
                           "metrics folder: the workers' metrics would not add up")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[VARIABLE] = str(folder)

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/graph_support.py, shared by the graph test tiers
sys.path.insert(0, str(Path(__file__).parents[2]))
from postgres_support import DATABASES, Cluster
from read_model_support import Projected, finished_run

from hub.adapters.read_model import sqlite_url


@pytest.fixture(scope="session", params=DATABASES)
def projected(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Projected]:
    """read_model_support's finished run, projected once per session into SQLite and
    into PostgreSQL; tests taking it run once on each."""
    finished = finished_run()
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("projected") / "read_model.sqlite")
        finished.write(url)
        yield Projected(finished, url, "sqlite")
        return
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    with cluster.database("finished") as url:
        finished.write(url)
        yield Projected(finished, url, "postgresql")

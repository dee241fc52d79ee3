"""Drop-ship partners in a scenario file: read as written, and nonsense refused before
the run with the field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario

MINIMAL = """
[scenario]
name = "tiny"
description = "Two partners."
"""

TWO = """
[[backends.partners]]
name = "acme"
sku_share = 0.1
ack_window = "30m"
token_lifetime = "1h"

[[backends.partners]]
name = "globex"
region = "south"
"""


def _load(tmp_path: Path, extra: str) -> object:
    path = tmp_path / "s.toml"
    path.write_text(MINIMAL + extra, encoding="utf-8")
    return load_scenario(str(path))


def _error(tmp_path: Path, extra: str) -> str:
    with pytest.raises(ScenarioError) as info:
        _load(tmp_path, extra)
    return str(info.value)


def test_two_partners_load_and_their_tokens_join_the_lifetimes(tmp_path: Path) -> None:
    scenario = _load(tmp_path, TWO)
    backends = scenario.backends  # type: ignore[attr-defined]
    assert [p.name for p in backends.partners] == ["acme", "globex"]
    assert backends.partners[0].ack_window_s == 1800.0
    assert backends.token_lifetimes() == {"partner:acme": 3600.0}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            '[[backends.partners]]\nname = "Acme Inc"\n',
            "backends.partners[0].name: expected lowercase letters and digits",
        ),
        (TWO + '[[backends.partners]]\nname = "acme"\n', 'partner "acme" is listed twice'),
        (
            '[[backends.partners]]\nname = "acme"\nregion = "mars"\n',
            'backends.partners[0].region: unknown region "mars"',
        ),
        (
            '[[backends.partners]]\nname = "a"\nsku_share = 0.5\n'
            '[[backends.partners]]\nname = "b"\nsku_share = 0.5\n',
            "backends.partners[1].sku_share: the partners' sku_share add up to 1",
        ),
        (
            '[[backends.partners]]\nname = "acme"\nsku_share = 1.5\n',
            "backends.partners[0].sku_share: expected a probability",
        ),
        (
            TWO + '[[faults]]\ntarget = "partner:initech"\nkind = "outage"\n'
            'start = "1h"\nduration = "1h"\n',
            'faults[0].target: unknown partner "initech"',
        ),
        (
            TWO + '[[faults]]\ntarget = "partner:globex"\nkind = "revoke"\n'
            'start = "1h"\nduration = "1h"\n',
            "faults[0].kind: partner:globex's API takes no access token",
        ),
        (
            TWO + '[[faults]]\ntarget = "partner:acme"\nkind = "slow"\nrate = 2\n'
            'start = "1h"\nduration = "1h"\n',
            "faults[0].kind: partner:acme cannot have a slow fault",
        ),
    ],
)
def test_nonsense_is_refused_naming_the_field(tmp_path: Path, extra: str, expected: str) -> None:
    assert expected in _error(tmp_path, extra)

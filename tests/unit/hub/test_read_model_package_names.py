"""The read model package lists each name it offers three times (`_HOMES`, which
module defines it; `__all__`; the imports mypy reads): the first two are held equal
here, and each name of `_HOMES` must be what its module defines."""

from __future__ import annotations

from importlib import import_module

import hub.adapters.read_model as package


def test_every_name_offered_is_listed_in_all_and_found_in_its_module() -> None:
    homes = package._HOMES
    assert sorted(homes) == sorted(package.__all__)
    for name, home in homes.items():
        module = import_module(f"{package.__name__}.{home}")
        assert getattr(package, name) is getattr(module, name), name

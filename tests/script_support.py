"""For tests of the scripts in scripts/: they are run as files, not imported as a
package, so a test loads one by its path, as `python scripts/NAME.py` would run it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_script(name: str) -> ModuleType:
    """scripts/`name`.py as a module, registered under `name` (a dataclass in it needs
    its module in `sys.modules` to resolve its annotations)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def lines_in_compiled_modules(find: Callable[[str], list[int]]) -> dict[str, list[int]]:
    """The lines `find` reports in each module `make compile` builds
    (scripts/compile_mypyc.py `sources`), for the modules where it reports any: what the
    tests holding the compiled build's sources to what mypyc compiles right refuse."""
    return {
        name: lines
        for name in load_script("compile_mypyc").sources()
        if (lines := find((ROOT / name).read_text(encoding="utf-8")))
    }

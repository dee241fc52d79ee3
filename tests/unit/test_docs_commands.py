"""Every command README.md and docs/ give a figure or a step by is in the repo (or an
installed dependency): a module run with `python -m`, a script under scripts/. A figure
measured with a script kept in /tmp cannot be made again by anyone else, so none is
named (docs/architecture.md's memory figures once were)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: `python -m MODULE`, the words possibly broken across lines as prose wraps them
MODULE_RUN = re.compile(r"python\s+-m\s+([A-Za-z_][\w.]*[\w])")
SCRIPT = re.compile(r"(?<![\w/.])scripts/([\w-]+\.(?:py|sh))")
TMP_SCRIPT = re.compile(r"/tmp/[\w./-]+\.(?:py|sh)\b")


def _text() -> dict[str, str]:
    return {path.relative_to(ROOT).as_posix(): path.read_text() for path in DOCUMENTS}


def test_every_module_the_documents_run_can_be_found() -> None:
    named = {
        (document, module)
        for document, text in _text().items()
        for module in MODULE_RUN.findall(text)
    }
    assert any(module == "benchmarks.memory_steps" for _, module in named)  # the scan reads them
    missing = sorted(
        (document, module) for document, module in named if importlib.util.find_spec(module) is None
    )
    assert not missing, f"modules the documents run that do not exist: {missing}"


def test_every_script_the_documents_name_is_in_scripts() -> None:
    named = {
        (document, script) for document, text in _text().items() for script in SCRIPT.findall(text)
    }
    assert named
    missing = sorted(
        (document, script)
        for document, script in named
        if not (ROOT / "scripts" / script).is_file()
    )
    assert not missing, f"scripts the documents name that are not in scripts/: {missing}"


def test_no_figure_is_said_to_come_from_a_script_outside_the_repo() -> None:
    found = {document: TMP_SCRIPT.findall(text) for document, text in _text().items()}
    assert not {document: hits for document, hits in found.items() if hits}

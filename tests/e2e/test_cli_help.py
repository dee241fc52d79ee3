import subprocess
import sys


def test_help_lists_the_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "retailtwin" in result.stdout

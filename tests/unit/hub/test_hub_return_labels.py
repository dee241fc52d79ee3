"""A return status's label is the status's name in lower case, and one shared string:
the channels keep every status notice they hear, each carrying its label."""

from __future__ import annotations

import pytest

from hub.model.returns import ReturnStatus


@pytest.mark.parametrize("status", list(ReturnStatus))
def test_a_label_is_the_name_in_lower_case_and_always_the_same_string(
    status: ReturnStatus,
) -> None:
    assert status.label == status.name.lower()
    assert status.label is ReturnStatus(int(status)).label

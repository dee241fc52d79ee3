"""docs/api.md lists what is deprecated and what replaces it; this holds the list to the
schema, so a deprecation nobody documented (or a documented one the schema dropped, which
the policy forbids) fails here."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from graph.schema import composed_schema

API_GUIDE = Path(__file__).parents[3] / "docs" / "api.md"
SECTION = "## Naming and deprecation policy"
#: a row of the section's table: | `Type.element` | `replacement` ... | why |
ROW = re.compile(r"^\| `(?P<path>[A-Za-z_][\w.()]*)` \| (?P<instead>[^|]+) \|", re.MULTILINE)
BACKTICKED = re.compile(r"`([^`]+)`")


def _documented() -> dict[str, str]:
    """Each deprecated element the guide lists, with its "use instead" cell."""
    text = API_GUIDE.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end != -1 else len(text)]
    return {m["path"]: m["instead"] for m in ROW.finditer(section)}


def _deprecated() -> dict[str, str]:
    """Every deprecated field, argument, input field and enum value, with its reason."""
    schema = composed_schema()._schema
    found: dict[str, str] = {}
    for name, named in schema.type_map.items():
        if name.startswith("_"):
            continue
        if isinstance(named, GraphQLObjectType):
            for field_name, field in named.fields.items():
                if field.deprecation_reason:
                    found[f"{name}.{field_name}"] = field.deprecation_reason
                for arg_name, arg in field.args.items():
                    if arg.deprecation_reason:
                        found[f"{name}.{field_name}({arg_name})"] = arg.deprecation_reason
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                if input_field.deprecation_reason:
                    found[f"{name}.{field_name}"] = input_field.deprecation_reason
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if value.deprecation_reason:
                    found[f"{name}.{value_name}"] = value.deprecation_reason
    return found


def test_the_guide_lists_exactly_the_schemas_deprecations() -> None:
    documented, deprecated = _documented(), _deprecated()
    assert len(documented) >= 10, "the table was read, not skipped"
    assert sorted(set(deprecated) - set(documented)) == [], "deprecated, not in docs/api.md"
    assert sorted(set(documented) - set(deprecated)) == [], "in docs/api.md, not deprecated"


def test_the_guide_names_the_replacement_the_schema_names() -> None:
    documented = _documented()
    wrong = {
        path: (reason, documented[path])
        for path, reason in _deprecated().items()
        if path in documented
        and not set(BACKTICKED.findall(reason)) <= set(BACKTICKED.findall(documented[path]))
    }
    assert wrong == {}

"""A scenario as data: the frozen dataclasses (`scenario.py`), parsed from TOML with
precise errors (`loader.py` and its rule modules), `--set` overrides, scaling, the
shipped library (`library/*.toml`) and the way back to TOML. Nothing here runs time."""

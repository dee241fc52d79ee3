"""The twin around the hub: scenarios as data, the SimPy estate that runs them, the
ground-truth checker, reports, experiments over many runs, the live twin behind the API
and the command line.

Each subpackage has one job, and imports only the ones listed before it:

    spec/         a scenario as data: TOML, rules, overrides, scaling, the shipped library
    twin/         the SimPy runtime: the estate, its ports to the hub, faults, projection
    checking/     ground truth, invariants, SLA metrics, the verdict
    reports/      report.json, junit.xml, report.html, charts, the run's read model file
    live/         the live twin: the model stepped against the wall clock behind the API
    experiments/  many runs: compare, sweep, replay, shrink
    cli/          argument parsing and thin commands over all of the above

`reports/` and `live/` sit side by side: neither imports the other. The rule is held by
ruff banned-import rules generated from `scripts/layers.py`.
"""

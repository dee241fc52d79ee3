"""The figures README.md and docs/ publish, each rerun from the command printed next to
it at a stated seed and scale (`make figures`; figures/registry.py)."""

"""`python -m scenarios.cli`: the same command as the `retailtwin` console script."""

from scenarios.cli.main import console_main

console_main()

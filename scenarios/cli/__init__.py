"""The `retailtwin` command: argument parsing and thin command functions over the
subpackages below; `main.console_main` is the console script."""

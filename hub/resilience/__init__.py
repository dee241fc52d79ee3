"""How the hub survives backends that are slow, down, throttled or flaky."""

"""The hub's orchestration: what happens, in which order, when a fact arrives."""

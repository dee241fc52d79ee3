"""A run as the API reads it: the projector writes the twin's state into the hub's read
model, with each order's cross-system view (what every system says about it)."""

"""The integration hub under test: a pure core that keeps orders, stock and returns
consistent across the retailer's systems. It does not know it is simulated."""

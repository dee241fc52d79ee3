"""The integration hub under test: a pure core that keeps orders, stock and returns
consistent across the retailer's systems. It does not know it is simulated."""

from compiled_build import use_sources_if_stale

use_sources_if_stale()  # before any other hub module: a stale compiled one is never run

"""The retailer's backends (ERP, WMS, POS, marketplace, payment gateway), demand and the
network between them, as stateful SimPy models holding their own truth."""

from compiled_build import use_sources_if_stale

use_sources_if_stale()  # before any other module here: a stale compiled one is never run

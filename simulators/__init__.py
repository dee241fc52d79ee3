"""The retailer's backends (ERP, WMS, POS, marketplace, payment gateway), demand and the
network between them, as stateful SimPy models holding their own truth."""

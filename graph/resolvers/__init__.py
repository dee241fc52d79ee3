"""Resolver logic shared by the composed schema and the subgraphs: each function takes
the strawberry class to build, so the same code serves an `Order` of the orders
subgraph and the composed server's `Order`."""

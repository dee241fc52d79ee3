"""The SimPy twin: the estate built from a scenario (world, simulators, network, hub),
the ports through which the hub sees simulated time and backends, the fault schedule,
the runtime that steps the day, and the projection of a run into the read model.

Only this package calls `env.run`."""

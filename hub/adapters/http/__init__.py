"""The hub served over HTTP: the pure core behind wall-clock ports, taking webhooks and
calling the backends over the contract (docs/contract.openapi.json). This is how
`retailtwin hub serve` runs the project's own hub as an external process, the proof
that the contract carries everything a hub needs."""

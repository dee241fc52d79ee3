"""The twin's HTTP face for an external hub: its backends served over the contract
(docs/contract.openapi.json), the systems' messages POSTed to the hub as webhooks, and
the day stepped against the wall clock so a real service can keep up with it."""

"""The live twin: a scenario's model stepped against the wall clock inside the API
server's event loop, judged as it runs, and the controls through which API clients act
on it (place orders, request returns, inject faults) the way the estate would be acted
on."""

"""Many runs of one scenario: `compare` designs across seeds (a `sweep` of jobs on a
local process pool), `replay` a recorded run to check its digest, `shrink` a failing
run to a smaller one that fails the same way."""

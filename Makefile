# The two commands a newcomer runs are `make run` and `make test`; each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# every Python dependency pinned with its hashes (`make lock` rewrites it from pyproject.toml)
LOCK := requirements.lock
SCENARIO ?= steady-day
# scale of the four black-friday runs `make bench` times for compare's parallel speed-up
COMPARE_SCALE ?= 0.1

.PHONY: setup bytecode compile uncompile lock run test test-flaky lint bench bench-api schema contract generate figures scenarios clean

# GraphiQL's browser files (web/install.sh): npm ci once, pinned by web/package-lock.json;
# without npm the server falls back to a CDN and says so
setup: $(STAMP)
	@bash web/install.sh --optional

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "retailtwin needs Python 3.11 or newer; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@echo "installing the locked Python dependencies from $(LOCK) (versions and hashes pinned)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# rewrite the lock after changing pyproject.toml's dependencies (needs PyPI): uv resolves
# them for every platform and Python from 3.11 and records each file's hash; commit both
lock: setup
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o $(LOCK) \
		--custom-compile-command "make lock (uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11)"

run: setup
	$(BIN)/retailtwin run $(SCENARIO)

# the project's bytecode, compiled once before the commands that start many processes:
# where PYTHONDONTWRITEBYTECODE is set (this CI sets it) each of the suite's hundreds of
# `retailtwin` subprocesses would otherwise compile every module it imports again, about
# 0.35 s of CPU each (1.7 s against 1.4 s to import the twin, run and checker). Python
# still checks each file's time against its source, so an edit is never run stale.
bytecode: setup
	@$(BIN)/python -m compileall -q -j 0 scenarios hub simulators graph gateway benchmarks scripts tests

# the hub's core, the simulators and the twin's hottest modules compiled with mypyc
# (scripts/compile_mypyc.py): the same results, less CPU; needs a C compiler, about a
# minute and a half. Optional: everything runs the sources without it, and a source
# edited since the build sends every compiled package back to its sources
# (compiled_build/) until `make compile` again; `make uncompile` removes the build
compile: setup
	$(BIN)/python scripts/compile_mypyc.py

uncompile:
	$(BIN)/python scripts/compile_mypyc.py --clean

# two pytest-xdist workers (tests/workers.py): one process left a core idle outside the
# judged wall-clock runs' nine minutes, and the suite took 1,093 to 1,254 s on a quiet
# machine against a 20-minute budget. A module whose tests share a wider fixture runs
# whole on one worker (loadgroup), in tests/head_start.py's order; TEST_WORKERS=0 runs
# the suite in this one process, as before
TEST_WORKERS ?= 2
test: bytecode
	$(BIN)/python -m pytest -m "not slow and not flaky" -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# tests that fail now and then on a loaded machine, each for a bug not yet found
test-flaky: bytecode
	$(BIN)/python -m pytest -m flaky

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# measures the compiled build, what a user after speed runs: built first unless the one
# there is of these sources (`--if-stale`); without a C compiler it says so and the
# benchmarks measure the sources; run_speed, weekend_memory and out_cost say which
# build their runs imported ("run from", "runs imported from"); weekend_memory runs
# each scenario three times in turn, since two runs of the same code peak 2 to 5 MiB
# apart and the goal's margin is of that size
bench: bytecode
	-$(BIN)/python scripts/compile_mypyc.py --if-stale
	$(BIN)/python -m benchmarks.run_speed --doubling --compare-scale $(COMPARE_SCALE)
	$(BIN)/python -m benchmarks.weekend_memory --runs 3
	$(BIN)/python -m benchmarks.out_cost
	$(BIN)/python -m benchmarks.api_speed
	$(BIN)/python -m benchmarks.live_restart
	$(BIN)/python -m benchmarks.contract_overhead

bench-api: setup
	$(BIN)/python -m benchmarks.api_speed

# every generated file: the SDL in docs/, the ruff.toml layer rules (scripts/layers.py),
# docs/scenarios.md's fault table, the hub contract (docs/contract.openapi.json), the
# scenario files' JSON Schema, the read model's SQL for sqlite3
# (hub/adapters/read_model/sqlite_schema.py) and the quick published figures; tests
# fail while any is out of date
generate: setup
	$(BIN)/python -m graph.sdl
	$(BIN)/python -m hub.adapters.read_model.sqlite_schema_gen
	$(BIN)/python -m scenarios.spec.json_schema
	$(BIN)/python scripts/layers.py
	$(BIN)/python scripts/fault_table.py
	$(BIN)/python scripts/contract.py
	$(BIN)/python scripts/figures.py --quick

# the OpenAPI 3.1 contract an external hub integrates against, from simulators/contract/
contract: setup
	$(BIN)/python scripts/contract.py

# every figure README.md and docs/ publish, rerun at its stated seed and scale and
# rewritten in place (figures/; a few minutes); `make test` checks the quick ones and
# `make scenarios` the expensive ones. FIGURES_ARGS="--only NAME" for one.
figures: bytecode
	$(BIN)/python scripts/figures.py $(FIGURES_ARGS)

schema: generate

scenarios: bytecode
	$(BIN)/python -m pytest -m slow

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache

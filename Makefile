# make run    installs what is missing, builds, starts impd on the embedded default
# make test   installs what is missing, builds (ASan+UBSan), runs unit, fuzz-replay and integration tests
# make build  builds only (build/bin/impd, build/bin/impctl)
# make fuzz   builds the fuzz targets with clang + libFuzzer and fuzzes each for FUZZ_SECONDS

JOBS        ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CONFIG      ?= etc/impd.example.toml
PYTHON      := /usr/bin/python3

# ccache: paths relative to the checkout and the build folder left out of the hash, so a fresh
# clone in another folder (CI) reuses what any earlier build compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: deps test-deps build run test unit integration fuzz bench clean

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMPD_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS)

run: build
	@build/bin/impd --config $(CONFIG)

# One build type per run: the test build carries the sanitizers, and the integration tests
# drive the very binaries it produced. -O1 is what the sanitizers recommend, and it compiles
# the coroutine-heavy sources in about half the time of -O2.
build-test: test-deps
	@cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DIMPD_SANITIZE=ON >/dev/null
	@cmake --build build-test -j $(JOBS)

unit: build-test
	@cd build-test && ctest --output-on-failure -j $(JOBS) -L 'unit|fuzz'

integration: build-test
	@IMPD_BUILD=$(CURDIR)/build-test $(PYTHON) -m pytest -q -p no:cacheprovider tests/integration

test: unit integration

fuzz: deps
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DIMPD_LIBFUZZER=ON -DIMPD_SANITIZE=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $$(cd tests/fuzz && ls *_fuzz.cpp | sed 's/_fuzz.cpp//;s/^/fuzz_/')
	@scripts/fuzz.sh build-fuzz/fuzz $(FUZZ_SECONDS)

# The side-by-side benchmark (tests/bench/README.md): impd, Prosody and ejabberd in one run.
# BENCH_ARGS=--quick for small sizes.
bench: build test-deps
	@/usr/bin/python3 tests/bench/run_bench.py $(BENCH_ARGS)

clean:
	rm -rf build build-test build-fuzz

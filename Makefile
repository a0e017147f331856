# The two README commands: `make compare` (the main job) and `make test` (the tests).
# Each installs missing Debian packages, configures and builds on first use, and reuses the
# build afterwards.
BUILD      ?= build
BUILD_SAN  ?= build-sanitize
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
REPORT     ?= mmsim-report
SUITE      ?= props/litmus
PREFIX     ?= /usr/local
CTEST_ARGS ?=

# Debian packages the build and the tests need (tools/deps.sh installs the missing ones).
DEB_BUILD  := cmake g++ make libgtest-dev librapidcheck-dev libboost-graph-dev libbenchmark-dev \
              libcli11-dev nlohmann-json3-dev liburing-dev
DEB_TEST   := clang libclang-rt-dev chromium chromium-driver python3
DEB_BENCH  := gnuplot-nox

.PHONY: all deps deps-test deps-bench build build-sanitize test test-sanitize compare bench soak fuzz format clean install

all: build

deps:
	@sh tools/deps.sh $(DEB_BUILD)

deps-test: deps
	@sh tools/deps.sh $(DEB_TEST)

deps-bench: deps
	@sh tools/deps.sh $(DEB_BENCH)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=ON -DMMSIM_BENCH=ON

build-sanitize: deps $(BUILD_SAN)/CMakeCache.txt
	cmake --build $(BUILD_SAN) -j $(JOBS)

test: deps-test build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-sanitize: deps-test build-sanitize
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(BUILD_SAN) --output-on-failure -j $(JOBS) -LE slow $(CTEST_ARGS)

# Installs mmsim in $(PREFIX)/bin, so that the replay lines it prints run as printed.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

compare: build
	$(BUILD)/model/mmsim compare --policy all --out $(REPORT) $(SUITE)

bench: deps-bench build
	sh bench/run.sh $(BUILD) bench-out

soak: build
	MMSIM_SOAK=1 ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L props

fuzz: deps-test
	sh tools/fuzz.sh

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(REPORT)

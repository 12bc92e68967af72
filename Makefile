# The two commands of the README: `make run` and `make test`. Both install
# missing Debian packages first (as root, with apt-get), then configure and
# build with CMake into build/.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
WARD := $(BUILD_DIR)/bin/ward

# Debian packages Ward builds, tests and runs with (see docs/building.md).
PACKAGES := cmake make g++ pkg-config antlr4 libantlr4-runtime-dev libfmt-dev \
	libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev libyara-dev yara \
	nlohmann-json3-dev libcli11-dev libssl-dev libpcre2-dev zlib1g-dev \
	libjemalloc-dev

# Debian packages only `make test` needs: the HTML report test renders the
# report in headless chromium.
TEST_PACKAGES := chromium

# Debian packages only `make fuzz` needs: clang with libFuzzer.
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60

.PHONY: all deps test-deps fuzz-deps configure build run test golden clean fuzz bench

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ward: installing missing Debian packages:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-deps:
	@missing=""; \
	for p in $(TEST_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ward: installing missing Debian packages for the tests:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Compile the bundled rulesets into out/, print a summary, and run every
# test case written next to the rules.
run: build
	$(WARD) build rulesets -o out --emit all --summary
	$(WARD) test rulesets

test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Regenerate the golden files after an intended change; review with git diff.
golden: build
	WARD_UPDATE_GOLDEN=1 $(BUILD_DIR)/bin/ward_golden_tests

# Builds the libFuzzer targets in build-fuzz/ and runs each for FUZZ_SECONDS
# (fuzz/run_fuzzers.sh); fails on any crash, leak, UB, hang or memory blow-up.
fuzz: deps fuzz-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) fuzz/run_fuzzers.sh

fuzz-deps:
	@missing=""; \
	for p in $(FUZZ_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "ward: installing missing Debian packages for fuzzing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench: build
	@if [ -x $(BUILD_DIR)/bin/ward_bench ]; then $(BUILD_DIR)/bin/ward_bench; else echo "no benchmarks built"; fi

clean:
	rm -rf $(BUILD_DIR) out

# RocketMQ-Swift — one entry point for newcomers and CI.
SWIFT ?= swift
BIN_DEBUG := .build/debug
VENV := Tests/Interop/.venv

.PHONY: deps build release test swift-test interop fuzz quickstart dist clean

## Install the system packages the build needs (Debian/Ubuntu).
deps:
	@if ! pkg-config --exists zlib liblz4 2>/dev/null || ! python3 -c 'import ensurepip' 2>/dev/null \
		|| ! command -v openssl >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq zlib1g-dev liblz4-dev python3-venv pkg-config zip unzip openssl; \
	fi

build: deps
	$(SWIFT) build --build-tests

release: deps
	$(SWIFT) build -c release

## Unit + integration tests (Swift), interop tests with the official C++ client, then ~30 s per fuzz target.
test: build swift-test interop fuzz

swift-test:
	SWIFT=$(SWIFT) bash Tests/run-swift-tests.sh

interop:
	bash Tests/Interop/setup_venv.sh
	ROCKETMQ_BIN=$(BIN_DEBUG) $(VENV)/bin/pytest -q Tests/Interop

## libFuzzer targets (Tests/Fuzz, its own package): replay Crashers/, then fuzz each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
fuzz: deps
	SWIFT=$(SWIFT) bash Tests/Fuzz/run.sh $(FUZZ_SECONDS)

## Build the distribution zip, start namesrv + broker from it, run the quickstart Producer and Consumer, stop.
quickstart: deps
	bash distribution/quickstart.sh

dist: deps
	bash distribution/build.sh

clean:
	rm -rf .build distribution/target

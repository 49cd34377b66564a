# winnow: a thin wrapper around CMake.
#   make demo    install missing Debian packages, build, run the demo
#   make test    install missing Debian packages, build, run every test
#   make asan    the test suite built with AddressSanitizer + UBSan
#   make bench   extraction benchmarks (bench/aeb.sh, bench/speed.sh)
#   make bench-crawl  crawl benchmark against Scrapy (bench/crawl.sh)
#   make goldens regenerate tests/fixtures/extract/*/expected.json (review
#                the diff before committing)

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
BUILD_TYPE ?= RelWithDebInfo

# Debian 12 packages the build and the tests need.
DEBS = cmake gcc make pkg-config libc6-dev libgumbo-dev libjansson-dev \
       libpcre2-dev zlib1g-dev libcurl4-openssl-dev libsqlite3-dev \
       libexpat1-dev python3 curl

FUZZ_SECONDS ?= 300

.PHONY: all deps build test asan demo goldens bench bench-crawl soak fuzz clean

all: build

deps:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "winnow needs these Debian packages; install them with:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DWINNOW_SANITIZE=ON -DWINNOW_WERROR=ON"

demo: build
	@sh demo/run.sh $(BUILD)/winnow

goldens: build
	@for d in tests/fixtures/extract/*/; do \
	  $(BUILD)/tests/fixtures/check_fixture . "$${d%/}" --update || exit 1; \
	done

bench: build
	bash bench/aeb.sh
	bash bench/speed.sh

# Opt-in: the crawl benchmark (nginx fixture of 10,000 pages, Scrapy as
# the baseline when installed; a few minutes).
bench-crawl: build
	bash bench/crawl.sh

# Opt-in: kill -9 soak of the crawler on the same fixture (killed at
# random until a run ends; checks exactly-once records; about a minute).
soak: build
	bash bench/soak_kill.sh --max-wait 1

# Opt-in: libFuzzer targets with clang, each run FUZZ_SECONDS on a corpus
# seeded from the fixtures.
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DWINNOW_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS) --target fuzz_extract fuzz_url fuzz_rules fuzz_xml fuzz_robots
	mkdir -p build-fuzz/corpus/extract build-fuzz/corpus/url build-fuzz/corpus/rules build-fuzz/corpus/xml build-fuzz/corpus/robots
	cp rules/*.json rules/sites/*.json build-fuzz/corpus/rules/
	for f in tests/rules/good/*.json; do cp "$$f" "build-fuzz/corpus/rules/good-$$(basename $$f)"; done
	python3 -c 'import json,sys; [open("build-fuzz/corpus/robots/%d.txt" % i, "w").write(json.loads(l).get("robots") or "") for i, l in enumerate(open(sys.argv[1]))]' \
	  tests/robots/vectors/vectors.jsonl
	for d in tests/fixtures/extract/*/; do \
	  [ -f "$$d/page.html" ] && cp "$$d/page.html" "build-fuzz/corpus/extract/$$(basename $$d).html"; \
	done; true
	build-fuzz/tests/fuzz/fuzz_extract -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 build-fuzz/corpus/extract
	build-fuzz/tests/fuzz/fuzz_url -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/url
	build-fuzz/tests/fuzz/fuzz_rules -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/rules
	build-fuzz/tests/fuzz/fuzz_xml -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/xml
	build-fuzz/tests/fuzz/fuzz_robots -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/robots

clean:
	rm -rf $(BUILD) build-asan build-fuzz

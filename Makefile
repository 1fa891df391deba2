# Enswitch phones/create toolkit. `make` lists the targets.
GO       ?= go
ADDR     ?= 127.0.0.1:8080
VERSION  ?=
FUZZTIME ?= 30s
# make build stamps the VCS revision into the binaries (--version shows it)
# even where GOFLAGS turns that off; BUILDVCS=false where git cannot run.
BUILDVCS ?= auto
# The version and revision stamped into the binaries (internal/buildinfo),
# for builds the toolchain cannot stamp from VCS itself (a git worktree).
RELEASE  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
REVISION ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# make build's folder and the commands it builds (the GitHub Action builds
# one into its runner's temporary folder).
BIN      ?= bin
COMMANDS ?= ./cmd/...
STAMP    := -X github.com/enswitch-kit/phones/internal/buildinfo.stampVersion=$(RELEASE) -X github.com/enswitch-kit/phones/internal/buildinfo.stampRevision=$(REVISION)
# make dist's folder and GOOS/GOARCH targets.
DIST     ?= dist
TARGETS  ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
# The image make image builds, tagged latest and RELEASE; Podman reads the
# project's containers.conf.
IMAGE    ?= localhost/enswitch-mock
export CONTAINERS_CONF ?= $(CURDIR)/scripts/containers.conf
# -race needs cgo; fall back cleanly where it is off.
RACE     := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && echo -race)
# Spectral, Prism and Dredd, installed from npm by `make tools`.
TOOLS    := $(CURDIR)/.tools/node_modules/.bin

.PHONY: help gen build run test lint tools browser postgres bench conformance fuzz mutation report-picture image podman dist
help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

gen: ## regenerate gen/ from openapi.yaml
	cd gen && $(GO) generate ./...

build: ## static bin/enswitch-mock, bin/enswitch-conformance, bin/enswitch-contract, bin/enswitch-proxy
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=$(BUILDVCS) -ldflags '$(STAMP)' -o $(BIN)/ $(COMMANDS)

# The mock runs as the recipe's own process (exec), not under go run: on
# Ctrl-C it shuts down and exits 0, and make reports no error.
run: ## start the mock on its embedded defaults (ADDR; VERSION, the Enswitch version, empty for the newest)
	@CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=$(BUILDVCS) -o bin/ ./cmd/enswitch-mock
	exec bin/enswitch-mock --addr $(ADDR) $(if $(VERSION),--enswitch-version $(VERSION))

test: lint browser podman ## every test: unit, race, contract, conformance against the mock, the state stores on PostgreSQL, Prism and Dredd, reports in Chromium
	$(GO) vet ./...
	pg=$$(./scripts/postgres.sh) && \
	ENSWITCH_TEST_POSTGRES=$$pg ENSWITCH_NODE_TOOLS=$(TOOLS) ENSWITCH_REQUIRE_BROWSER=1 ENSWITCH_REQUIRE_PODMAN=1 $(GO) test $(RACE) -count=1 ./...

lint: tools ## Spectral on openapi.yaml (spectral:oas and .spectral.yaml): no error, no warning
	$(TOOLS)/spectral lint --ruleset .spectral.yaml --fail-severity=warn openapi.yaml

tools: ## install Spectral, Prism and Dredd from npm into .tools/ when missing
	./scripts/tools.sh

# Debian's Chromium renders the HTML report in the e2e tests.
browser:
	@command -v chromium >/dev/null 2>&1 || apt-get install -y -qq chromium >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || { echo "make: could not install Debian's chromium, which the report tests need" >&2; exit 1; }

# PostgreSQL for the state store tests: Debian's postgresql, installed when
# missing; a cluster in .tools/postgres (as root, under /var/lib/postgresql) on 127.0.0.1:55432, started when not
# running. Prints the URL the tests read from ENSWITCH_TEST_POSTGRES.
postgres: ## install and start the tests' PostgreSQL when missing; print its URL
	@./scripts/postgres.sh

report-picture: browser ## docs/report.png: a screenshot of a real run's HTML report
	ENSWITCH_REPORT_SCREENSHOT=$(CURDIR)/docs/report.png $(GO) test -count=1 -run 'TestReportInChromium/passing' ./e2e/

conformance: build ## the suite against the mock for 3.13, 3.14, 4.0 and 4.4, then on a state file and two PostgreSQL replicas; reports/conformance.html
	pg=$$(./scripts/postgres.sh) && ENSWITCH_TEST_POSTGRES=$$pg ./scripts/conformance.sh

bench: ## Go micro-benchmarks, then mock (memory, state file, PostgreSQL) vs Prism vs net/http side by side, and pgbench
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 \
	  || echo "wrk could not be installed: the load falls back to a Go client"
	$(GO) test -run '^$$' -bench . -benchmem ./...
	pg=$$(./scripts/postgres.sh) && ENSWITCH_TEST_POSTGRES=$$pg $(GO) run ./bench

mutation: ## mutation testing of the suite: every mutant of the mock, the survivors and the score (docs/mutation.md)
	$(GO) run ./mutation

fuzz: ## go test -fuzz on each target for FUZZTIME
	./scripts/fuzz.sh $(FUZZTIME)

# Podman (with Buildah inside) and runc from Debian, for make image and the
# image test (release/).
podman:
	@command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 || apt-get install -y -qq podman runc >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq podman runc >/dev/null) \
	  || { echo "make: could not install Debian's podman and runc, which make image and the image test need" >&2; exit 1; }

image: build podman ## the container image (Containerfile) as IMAGE:latest and IMAGE:RELEASE, with Podman: docs/container.md
	mkdir -p bin/image/data && cp /etc/ssl/certs/ca-certificates.crt bin/image/
	podman build --layers=false --format docker --build-arg VERSION=$(RELEASE) --build-arg REVISION=$(REVISION) \
	  -t $(IMAGE):latest -t $(IMAGE):$(RELEASE) -f Containerfile .

dist: ## release archives in dist/ for linux, darwin, windows × amd64, arm64, and SHA256SUMS
	@command -v zip >/dev/null 2>&1 || apt-get install -y -qq zip >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq zip >/dev/null)
	DIST='$(DIST)' TARGETS='$(TARGETS)' RELEASE='$(RELEASE)' LDFLAGS='$(STAMP)' BUILDVCS=$(BUILDVCS) GO=$(GO) ./scripts/dist.sh

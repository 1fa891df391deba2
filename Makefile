# Enswitch phones/create toolkit. `make` lists the targets.
GO       ?= go
ADDR     ?= 127.0.0.1:8080
VERSION  ?=
FUZZTIME ?= 30s
# make build stamps the VCS revision into the binaries (--version shows it)
# even where GOFLAGS turns that off; BUILDVCS=false where git cannot run.
BUILDVCS ?= auto
# -race needs cgo; fall back cleanly where it is off.
RACE     := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && echo -race)

.PHONY: help gen build run test bench conformance fuzz
help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

gen: ## regenerate gen/ from openapi.yaml
	cd gen && $(GO) generate ./...

build: ## static bin/enswitch-mock, bin/enswitch-conformance, bin/enswitch-contract
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=$(BUILDVCS) -o bin/ ./cmd/...

# The mock runs as the recipe's own process (exec), not under go run: on
# Ctrl-C it shuts down and exits 0, and make reports no error.
run: ## start the mock on its embedded defaults (ADDR; VERSION, the Enswitch version, empty for the newest)
	@CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=$(BUILDVCS) -o bin/ ./cmd/enswitch-mock
	exec bin/enswitch-mock --addr $(ADDR) $(if $(VERSION),--enswitch-version $(VERSION))

test: ## every test: unit, race, contract, conformance against the mock
	$(GO) vet ./...
	$(GO) test $(RACE) -count=1 ./...

conformance: build ## run the suite against the mock for 3.13, 3.14, 4.0 and 4.4
	./scripts/conformance.sh

bench: ## Go micro-benchmarks, then mock vs Prism vs net/http side by side
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 \
	  || echo "wrk could not be installed: the load falls back to a Go client"
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench

fuzz: ## go test -fuzz on each target for FUZZTIME
	./scripts/fuzz.sh $(FUZZTIME)

# Enswitch phones/create toolkit. `make` lists the targets.
GO       ?= go
ADDR     ?= 127.0.0.1:8080
VERSION  ?=
FUZZTIME ?= 30s
# -race needs cgo; fall back cleanly where it is off.
RACE     := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && echo -race)
# Spectral, Prism and Dredd, installed from npm by `make tools`.
TOOLS    := $(CURDIR)/.tools/node_modules/.bin

.PHONY: help gen build run test lint tools bench conformance fuzz
help: ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

gen: ## regenerate gen/ from openapi.yaml
	cd gen && $(GO) generate ./...

build: ## build bin/enswitch-mock and bin/enswitch-conformance
	$(GO) build -o bin/ ./cmd/...

run: ## start the mock on its embedded defaults (ADDR; VERSION, empty for the newest)
	$(GO) run ./cmd/enswitch-mock --addr $(ADDR) $(if $(VERSION),--version $(VERSION))

test: lint ## every test: unit, race, contract, conformance against the mock, Prism and Dredd
	$(GO) vet ./...
	ENSWITCH_NODE_TOOLS=$(TOOLS) $(GO) test $(RACE) -count=1 ./...

lint: tools ## Spectral on openapi.yaml (spectral:oas and .spectral.yaml): no error, no warning
	$(TOOLS)/spectral lint --ruleset .spectral.yaml --fail-severity=warn openapi.yaml

tools: ## install Spectral, Prism and Dredd from npm into .tools/ when missing
	./scripts/tools.sh

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

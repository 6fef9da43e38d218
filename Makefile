# provider-rds: a native Crossplane provider for Amazon RDS.
# Every tool is pinned and cached outside the checkout, keyed by version, so a
# fresh machine builds what it needs once and later runs reuse it.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PROVIDER_RDS_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/provider-rds
export PROVIDER_RDS_CACHE
CACHE_DIR := $(PROVIDER_RDS_CACHE)

K8S_VERSION            := v1.35.4
ETCD_VERSION           := v3.6.16
MOTO_VERSION           := 5.2.5
CONTROLLER_GEN_VERSION := v0.20.0
ANGRYJET_VERSION       := v0.0.0-20260719180100-659f1dc036c5
CROSSPLANE_VERSION     := v2.4.0
CROSSPLANE_CLI_VERSION := v2.5.0
FUNCTION_PT_VERSION    := v0.10.7
GOLANGCI_LINT_VERSION  := v2.15.0

CONTROLLER_GEN := $(CACHE_DIR)/bin/controller-gen-$(CONTROLLER_GEN_VERSION)
ANGRYJET       := $(CACHE_DIR)/bin/angryjet-$(ANGRYJET_VERSION)
GOLANGCI_LINT  := $(CACHE_DIR)/bin/golangci-lint-$(GOLANGCI_LINT_VERSION)
MOTO_VENV      := $(CACHE_DIR)/moto-$(MOTO_VERSION)
MOTO_SERVER    := $(MOTO_VENV)/bin/moto_server
MOTO_READY     := $(MOTO_VENV)/.ready

GO_TEST_FLAGS ?=

# VERSION is the release the provider binary reports (in change-log
# entries) and the tag `make xpkg` records in its package files.
VERSION ?= v0.1.0

##@ Main

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z0-9_.-]+:.*##/ {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2} /^##@/ {printf "\n%s\n", substr($$0, 5)}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build the provider binary into bin/provider and the kubectl plugin into bin/kubectl-rds.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o bin/provider ./cmd/provider
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o bin/kubectl-rds ./cmd/kubectl-rds

.PHONY: demo
demo: build $(MOTO_READY) ## The main job: run the provider on a local control plane and AWS emulator and create the example database (DEMO_ONCE=1 exits when it is ready).
	go build -o bin/demo ./cluster/local/demo
	KUBEBUILDER_ASSETS="$$($(ENVTEST_ASSETS_SH))" \
	MOTO_SERVER="$(MOTO_SERVER)" PROVIDER_BIN=bin/provider bin/demo

.PHONY: run
run: build ## Run the provider out of cluster against the current KUBECONFIG (applies the CRDs first).
	kubectl apply --server-side -f package/crds
	bin/provider --debug

.PHONY: xpkg
xpkg: build ## Build the Crossplane packages without Docker (controller image + package layer), standalone and AWS family member; prints their paths last.
	@go run ./cluster/xpkg -binary bin/provider -package package -examples examples -version $(VERSION) -out _output/xpkg

##@ Development

.PHONY: generate
generate: $(CONTROLLER_GEN) $(ANGRYJET) ## Regenerate deepcopy, managed-resource methods and CRDs (package/crds).
	go run ./hack/versions
	go run ./hack/namespaced apis/rds/namespaced/v1beta1/zz_generated.parameters.go
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./apis/...
	$(ANGRYJET) generate-methodsets --header-file=hack/boilerplate.go.txt ./apis/...
	rm -rf package/crds
	$(CONTROLLER_GEN) crd:allowDangerousTypes=true,crdVersions=v1 paths=./apis/... output:crd:artifacts:config=package/crds
	go run ./hack/crdconversion package/crds
	gofmt -w apis

.PHONY: check-generate
check-generate: generate ## Fail if generated files are stale.
	@git diff --exit-code -- apis package/crds || { echo "generated files are stale: run 'make generate' and commit the result" >&2; exit 1; }
	@if [ -n "$$(git ls-files --others --exclude-standard -- apis package/crds)" ]; then echo "untracked generated files: run 'make generate' and commit them" >&2; git ls-files --others --exclude-standard -- apis package/crds >&2; exit 1; fi

ENVTEST_ASSETS_SH    := K8S_VERSION=$(K8S_VERSION) ETCD_VERSION=$(ETCD_VERSION) cluster/local/envtest-assets.sh
CROSSPLANE_ASSETS_SH := CROSSPLANE_VERSION=$(CROSSPLANE_VERSION) CROSSPLANE_CLI_VERSION=$(CROSSPLANE_CLI_VERSION) FUNCTION_PT_VERSION=$(FUNCTION_PT_VERSION) cluster/local/crossplane-assets.sh

.PHONY: envtest-assets
envtest-assets: ## Build (once) kube-apiserver, etcd and kubectl; print the KUBEBUILDER_ASSETS directory.
	@$(ENVTEST_ASSETS_SH)

.PHONY: crossplane-assets
crossplane-assets: ## Build (once) Crossplane core, its CLI, function-patch-and-transform and kube-controller-manager; print the Crossplane directory.
	@$(ENVTEST_ASSETS_SH) kube-controller-manager >/dev/null
	@$(CROSSPLANE_ASSETS_SH)

.PHONY: moto
moto: $(MOTO_READY) ## Create (once) the virtualenv with the pinned moto server; print its path.
	@echo $(MOTO_SERVER)

# The marker is written last, so an interrupted install is redone. The
# virtualenv is built in place: its scripts record their own path.
$(MOTO_READY):
	rm -rf $(MOTO_VENV)
	python3 -m venv $(MOTO_VENV)
	$(MOTO_VENV)/bin/pip install --quiet --disable-pip-version-check 'moto[server]==$(MOTO_VERSION)'
	touch $@

$(CONTROLLER_GEN):
	hack/go-build-pinned.sh $@ sigs.k8s.io/controller-tools/cmd/controller-gen sigs.k8s.io/controller-tools@$(CONTROLLER_GEN_VERSION)

$(GOLANGCI_LINT):
	hack/go-build-pinned.sh $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint github.com/golangci/golangci-lint/v2@$(GOLANGCI_LINT_VERSION)

$(ANGRYJET):
	hack/go-build-pinned.sh $@ github.com/crossplane/crossplane-tools/cmd/angryjet github.com/crossplane/crossplane-tools@$(ANGRYJET_VERSION)

##@ Tests

# BENCH_N is the size of the fleet `make bench` measures; BENCH_TENANTS and
# BENCH_PER_TENANT the namespaces and Instances of its multi-tenant fleet.
BENCH_TENANTS ?= 50
BENCH_PER_TENANT ?= 20
BENCH_N ?= 100

.PHONY: bench
bench: $(MOTO_READY) ## Measure the provider binary against the throttled test bed: a fleet of BENCH_N Instances (100: time to Ready and to deleted, AWS calls per Instance, drift correction, memory and CPU), then BENCH_TENANTS namespaces (50) of BENCH_PER_TENANT namespaced Instances (20), each namespace with its own ProviderConfig and credentials (STS and Describe calls per ProviderConfig, memory and CPU).
	KUBEBUILDER_ASSETS="$$($(ENVTEST_ASSETS_SH))" MOTO_SERVER="$(MOTO_SERVER)" BENCH_N=$(BENCH_N) BENCH_TENANTS=$(BENCH_TENANTS) BENCH_PER_TENANT=$(BENCH_PER_TENANT) \
	go test -count=1 -timeout 90m -run '^$$' -bench 'BenchmarkFleet|BenchmarkTenants' -benchtime=1x ./test/bench/

# Fuzz targets, each run for FUZZ_TIME with one worker (their seeds also run
# with every go test): credentials parsing, drift and tag diffs, identifier
# validation, version conversion. FUZZ_TIME counts executions: with a
# duration, Go 1.26's fuzzing coordinator may report its own deadline as a
# failure on a busy machine (go.dev/issue/75804, fixed in Go 1.27).
FUZZ_TIME ?= 1000x
FUZZ_TARGETS := internal/awsconfig:FuzzParseSharedCredentials internal/rdsinstance:FuzzDiff internal/rdstags:FuzzTagDiff \
	internal/controller/instance:FuzzValidIdentifier apis/rds/conversion:FuzzHubRoundTrip

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZ_TIME (default 1000 executions) each.
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz: $${t#*:} ($(FUZZ_TIME))"; \
	  go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZ_TIME) -parallel 1 ./$${t%%:*}/ > _output/fuzz.log 2>&1 || { cat _output/fuzz.log; exit 1; }; \
	done

# The end-to-end tests mostly wait for polls and for AWS, so they run as four
# processes side by side, each with its own control plane, test bed and
# provider (the tests count the AWS calls of their provider). Every test runs
# in exactly one: these patterns pick the second, third and fourth groups,
# the rest of test/e2e run first. The patterns apply to test/e2e only; every
# other package (the fault catalogue among them) runs whole, in a fifth
# process. The install tests (test/install), which run Crossplane beside
# the provider, run in a sixth.
E2E_SECOND_GROUP := ^(TestGP3|TestPassword|TestPending|TestDomain|TestFailedInstance|TestReservedTags|TestRotatedCA|TestAutoscaled|TestForeign|TestMetadataOnly|TestNewInstance|TestBed|TestEveryServedVersion|TestResourceID|TestUnknownResourceID|TestUnresolvedReferences)
E2E_THIRD_GROUP := ^(TestSubnetGroup|TestParameterGroup|TestInstanceReferences|TestGroupsInUse|TestStaticParameterChange|TestNamespaced|TestCredentialsOfOtherPartitions|TestBlueGreen)
E2E_FOURTH_GROUP := ^(TestSTSCalls|TestFleet|TestThrottlingIsAbsorbed|TestMaliciousTenantCatalogue)

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint (pinned, built from its module) with the linters of .golangci.yml.
	$(GOLANGCI_LINT) run ./...

.PHONY: test
test: check-generate lint $(MOTO_READY) ## Run every test: unit tests, fuzzing for a bounded time, then end-to-end tests on a real control plane and AWS emulator.
	go vet ./...
	@mkdir -p _output
	@$(MAKE) --no-print-directory fuzz
	@export KUBEBUILDER_ASSETS="$$($(ENVTEST_ASSETS_SH) kube-controller-manager)" \
	  CROSSPLANE_ASSETS="$$($(CROSSPLANE_ASSETS_SH))" MOTO_SERVER="$(MOTO_SERVER)"; \
	echo "go test ./... (end-to-end tests in four groups beside the install tests and the other packages; output follows when all end)"; \
	go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) -run '$(E2E_SECOND_GROUP)' ./test/e2e/ > _output/test-e2e-second.log 2>&1 & second=$$!; \
	go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) -run '$(E2E_THIRD_GROUP)' ./test/e2e/ > _output/test-e2e-third.log 2>&1 & third=$$!; \
	go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) -run '$(E2E_FOURTH_GROUP)' ./test/e2e/ > _output/test-e2e-fourth.log 2>&1 & fourth=$$!; \
	go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) -skip '$(E2E_SECOND_GROUP)|$(E2E_THIRD_GROUP)|$(E2E_FOURTH_GROUP)' ./test/e2e/ > _output/test-e2e-first.log 2>&1 & first=$$!; \
	go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) ./test/install/ > _output/test-install.log 2>&1 & install=$$!; \
	rc=0; go test -count=1 -timeout 15m -v $(GO_TEST_FLAGS) $$(go list ./... | grep -v -e '/test/e2e$$' -e '/test/install$$') > _output/test-packages.log 2>&1 || rc=$$?; \
	wait $$first || rc=$$?; \
	wait $$install || rc=$$?; \
	wait $$second || rc=$$?; \
	wait $$third || rc=$$?; \
	wait $$fourth || rc=$$?; \
	cat _output/test-packages.log _output/test-install.log _output/test-e2e-first.log _output/test-e2e-second.log _output/test-e2e-third.log _output/test-e2e-fourth.log | grep -vE '^=== (RUN|PAUSE|CONT)' > _output/test.log || true; \
	cat _output/test.log; \
	exit $$rc
	@echo "Skipped tests, if any, are listed above as --- SKIP with their reason."
	@echo "tests: $$(grep -cE '^\s*--- PASS' _output/test.log) passed, $$(grep -cE '^\s*--- FAIL' _output/test.log) failed, $$(grep -cE '^\s*--- SKIP' _output/test.log) skipped"

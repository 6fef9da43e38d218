#!/usr/bin/env bash
# Builds what the composition tests run beside our provider, from the Go
# module proxy at pinned versions, into a cache outside the checkout keyed by
# those versions, and prints the directory: Crossplane core (crossplane), the
# Crossplane CLI for `crossplane render` (crossplane-cli), and
# function-patch-and-transform. A warm cache makes this a no-op.
set -euo pipefail

CROSSPLANE_VERSION="${CROSSPLANE_VERSION:-v2.4.0}"
CROSSPLANE_CLI_VERSION="${CROSSPLANE_CLI_VERSION:-v2.5.0}"
FUNCTION_PT_VERSION="${FUNCTION_PT_VERSION:-v0.10.7}"
CACHE_DIR="${PROVIDER_RDS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/provider-rds}"
HACK="$(cd "$(dirname "$0")/../../hack" && pwd)"
ASSETS="$CACHE_DIR/crossplane/core-${CROSSPLANE_VERSION}_cli-${CROSSPLANE_CLI_VERSION}_function-pt-${FUNCTION_PT_VERSION}"

log() { echo "crossplane-assets: $*" >&2; }
mkdir -p "$ASSETS"

# The marker records that the binary reports its version: the package
# manager checks each package's Crossplane version constraint against it,
# and since v2.4 the version lives in crossplane-runtime's pkg/version.
if [[ ! -x "$ASSETS/crossplane" || ! -f "$ASSETS/crossplane.versioned" ]]; then
  log "building Crossplane core $CROSSPLANE_VERSION (first run only)"
  # Core's go.mod points its apis module at a local folder; the wrapper
  # requires the published apis of the same release instead.
  "$HACK/go-build-pinned.sh" "$ASSETS/crossplane" github.com/crossplane/crossplane/v2/cmd/crossplane \
    "github.com/crossplane/crossplane/v2@$CROSSPLANE_VERSION" \
    "-s -w -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$CROSSPLANE_VERSION" \
    "require github.com/crossplane/crossplane/apis/v2 $CROSSPLANE_VERSION"
  touch "$ASSETS/crossplane.versioned"
fi
if [[ ! -x "$ASSETS/crossplane-cli" ]]; then
  log "building the Crossplane CLI $CROSSPLANE_CLI_VERSION (first run only)"
  "$HACK/go-build-pinned.sh" "$ASSETS/crossplane-cli" github.com/crossplane/cli/v2/cmd/crossplane \
    "github.com/crossplane/cli/v2@$CROSSPLANE_CLI_VERSION"
fi
if [[ ! -x "$ASSETS/function-patch-and-transform" ]]; then
  log "building function-patch-and-transform $FUNCTION_PT_VERSION (first run only)"
  "$HACK/go-build-pinned.sh" "$ASSETS/function-patch-and-transform" github.com/crossplane-contrib/function-patch-and-transform \
    "github.com/crossplane-contrib/function-patch-and-transform@$FUNCTION_PT_VERSION"
fi
if [[ ! -f "$ASSETS/crds/.complete" ]]; then
  log "copying Crossplane $CROSSPLANE_VERSION CRDs from its module"
  src="$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "github.com/crossplane/crossplane/v2@$CROSSPLANE_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')"
  rm -rf "$ASSETS/crds" && mkdir -p "$ASSETS/crds"
  cp "$src"/cluster/crds/*.yaml "$ASSETS/crds/"
  chmod u+w "$ASSETS"/crds/*.yaml
  touch "$ASSETS/crds/.complete"
fi
echo "$ASSETS"

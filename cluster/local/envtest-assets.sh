#!/usr/bin/env bash
# Builds the local control plane binaries (kube-apiserver, etcd, and kubectl when
# the machine has none) from their Go modules at pinned versions, into a cache
# outside the checkout keyed by those versions, and prints the directory to use
# as KUBEBUILDER_ASSETS. Prebuilt envtest archives cannot be downloaded here, so
# the build from source is the only route; a warm cache makes this a no-op.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE_DIR="${PROVIDER_RDS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/provider-rds}"
HACK="$(cd "$(dirname "$0")/../../hack" && pwd)"
ASSETS="$CACHE_DIR/envtest/k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}"

staging_version="v0${K8S_VERSION#v1}" # v1.35.4 -> v0.35.4
staging_modules=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
  cloud-provider cluster-bootstrap code-generator component-base component-helpers
  controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation
  endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
  kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
  sample-apiserver sample-cli-plugin sample-controller)

log() { echo "envtest-assets: $*" >&2; }

# build_kubernetes_binary NAME builds k8s.io/kubernetes/cmd/NAME with honest
# version ldflags, so `NAME --version` reports the pinned release.
build_kubernetes_binary() {
  local name="$1" out="$ASSETS/$1"
  [[ -x "$out" ]] && return 0
  log "building $name $K8S_VERSION from k8s.io/kubernetes (first run only, several minutes)"
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local ldflags="-s -w" modlines="replace ("
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  for m in "${staging_modules[@]}"; do modlines+=$'\n'"  k8s.io/$m => k8s.io/$m $staging_version"; done
  modlines+=$'\n'")"
  "$HACK/go-build-pinned.sh" "$out" "k8s.io/kubernetes/cmd/$name" "k8s.io/kubernetes@$K8S_VERSION" "$ldflags" "$modlines"
}

build_etcd() {
  local out="$ASSETS/etcd"
  [[ -x "$out" ]] && return 0
  log "building etcd $ETCD_VERSION from go.etcd.io/etcd/server/v3"
  local modlines="replace ("
  for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do modlines+=$'\n'"  go.etcd.io/etcd/$m => go.etcd.io/etcd/$m $ETCD_VERSION"; done
  modlines+=$'\n'")"
  "$HACK/go-build-pinned.sh" "$out" "go.etcd.io/etcd/server/v3" "go.etcd.io/etcd/server/v3@$ETCD_VERSION" "-s -w" "$modlines"
}

ensure_kubectl() {
  [[ -x "$ASSETS/kubectl" ]] && return 0
  local existing
  if existing="$(command -v kubectl)"; then
    ln -sf "$existing" "$ASSETS/kubectl"
  else
    build_kubernetes_binary kubectl
  fi
}

mkdir -p "$ASSETS"
build_etcd
build_kubernetes_binary kube-apiserver
ensure_kubectl
for extra in "$@"; do build_kubernetes_binary "$extra"; done
echo "$ASSETS"

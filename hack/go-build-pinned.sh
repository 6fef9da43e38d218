#!/usr/bin/env bash
# go-build-pinned.sh OUT PACKAGE MODULE@VERSION [LDFLAGS [GO_MOD_LINES]]
#
# Builds PACKAGE from the published MODULE@VERSION into OUT through a throwaway
# wrapper module. Several tools we build (kubernetes, etcd, crossplane-tools)
# cannot be installed with a plain `go install pkg@version`: their go.mod files
# carry replace directives, or the module proxy refuses the version list that
# `go install` asks for. A wrapper module that requires the exact version
# avoids both. GO_MOD_LINES adds directives, such as replaces to published
# sibling modules.
set -euo pipefail
out="$1" pkg="$2" modver="$3" ldflags="${4:--s -w}" modlines="${5:-}"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'module local/tool-build\n\ngo 1.25.0\n\nrequire %s %s\n%s\n' "${modver%@*}" "${modver#*@}" "$modlines" >"$work/go.mod"
printf 'package tools\n\nimport _ "%s"\n' "$pkg" >"$work/tools.go"
(cd "$work" && GOFLAGS=-mod=mod go mod tidy >/dev/null)
(cd "$work" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg")
mv "$out.tmp" "$out"

#!/usr/bin/env bash
# Builds the Pulumi CLI from the Go module proxy and puts it at bin/pulumi (the
# project's bin/, next to tools/), with its version stamped, for the end-to-end
# tests. The Pulumi CLI cannot be downloaded on these machines, but it builds
# from source: tools/go.mod pins github.com/pulumi/pulumi/pkg/v3 and sdk/v3
# v3.274.1 (with the clipboard replace pkg/v3 needs).
#
# The binary is cached outside the clone, keyed by version and tools/go.sum
# (default ~/.cache/multiregion; MULTIREGION_CACHE overrides), so repeated CI runs
# on one machine build it once. Cold, the build takes ~7 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
version=v3.274.1
key="$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)"
cache="${MULTIREGION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/multiregion}/pulumi-$version-$key"
out="$root/bin/pulumi"

if [ ! -x "$cache/pulumi" ] || [ "$("$cache/pulumi" version 2>/dev/null)" != "$version" ]; then
  mkdir -p "$cache"
  echo "building the Pulumi CLI $version into $cache (cold: ~7 minutes)..."
  (cd "$here" && go build -trimpath \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$cache/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv "$cache/pulumi.tmp" "$cache/pulumi"
else
  echo "the Pulumi CLI $version is cached in $cache"
fi
mkdir -p "$root/bin"
ln -sf "$cache/pulumi" "$out"
echo "bin/pulumi: $("$out" version)"

#!/usr/bin/env bash
# make dist: one archive per target with every binary, LICENSE and
# README.md (a .zip for Windows, a .tar.gz otherwise), and SHA256SUMS over
# them, in DIST (dist/). TARGETS (GOOS/GOARCH pairs) defaults to Linux, macOS
# and Windows on amd64 and arm64; RELEASE names the archives; LDFLAGS
# stamps the version into the binaries (the Makefile sets both).
set -euo pipefail
cd "$(dirname "$0")/.."

DIST=${DIST:-dist}
TARGETS=${TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
RELEASE=${RELEASE:-devel}
LDFLAGS=${LDFLAGS:-}
BUILDVCS=${BUILDVCS:-auto}
GO=${GO:-go}

rm -rf "$DIST"
mkdir -p "$DIST"
out=$(cd "$DIST" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for target in $TARGETS; do
	os=${target%/*} arch=${target#*/}
	name=enswitch-kit_${RELEASE}_${os}_${arch}
	mkdir -p "$stage/$name"
	echo "dist: $name" >&2
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch $GO build -trimpath -buildvcs="$BUILDVCS" \
		-ldflags "-s -w $LDFLAGS" -o "$stage/$name/" ./cmd/...
	cp LICENSE README.md "$stage/$name/"
	if [ "$os" = windows ]; then
		(cd "$stage" && zip -qrX "$out/$name.zip" "$name")
	else
		tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$name.tar.gz" "$name"
	fi
done

cd "$out"
sha256sum -- enswitch-kit_* >SHA256SUMS
echo "dist: $(ls enswitch-kit_* | wc -l) archives and SHA256SUMS in $DIST" >&2

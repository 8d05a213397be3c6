#!/usr/bin/env bash
# Builds distribution/target/rocketmq-swift-<version>-bin-release.zip: release binaries with the Swift
# runtime linked in statically (they run where no Swift is installed), bin/ launchers, conf/ samples,
# benchmark/ scripts, README and LICENSE.
# `--debug` packages debug binaries instead (same layout; CI uses it to test the flow without a second
# full build).
set -euo pipefail
mode=release
[ "${1:-}" = "--debug" ] && mode=debug
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(cat "$root/distribution/VERSION")"
name="rocketmq-swift-$version"
target="$root/distribution/target"
stage="$target/$name"
cd "$root"
products=(mqnamesrv mqbroker mqadmin mqbench rocketmq-example)
if [ "$mode" = release ]; then
    for p in "${products[@]}"; do
        swift build -c release --static-swift-stdlib -q --product "$p"
    done
else
    for p in "${products[@]}"; do swift build -q --product "$p"; done
fi
bindir="$(swift build -c "$mode" --show-bin-path)"
rm -rf "$stage" "$target/$name-bin-release.zip"
mkdir -p "$stage/lib" "$stage/bin" "$stage/conf" "$stage/benchmark"
for exe in mqnamesrv mqbroker mqadmin mqbench rocketmq-example; do
    cp "$bindir/$exe" "$stage/lib/"
    [ "$mode" = release ] && { strip "$stage/lib/$exe" 2>/dev/null || true; }
done
cp -R distribution/bin/. "$stage/bin/"
cp -R distribution/conf/. "$stage/conf/"
cp -R distribution/benchmark/. "$stage/benchmark/"
cp README.md LICENSE "$stage/"
chmod +x "$stage"/bin/* "$stage"/benchmark/*
(cd "$target" && zip -qr "$name-bin-release.zip" "$name")
echo "$target/$name-bin-release.zip"

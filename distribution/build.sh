#!/usr/bin/env bash
# Builds distribution/target/rocketmq-swift-<version>-bin-release.zip: release binaries with the Swift
# runtime linked in statically (they run where no Swift is installed), bin/ launchers, conf/ samples,
# benchmark/ scripts, README and LICENSE.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(cat "$root/distribution/VERSION")"
name="rocketmq-swift-$version"
target="$root/distribution/target"
stage="$target/$name"
cd "$root"
swift build -c release --static-swift-stdlib \
    --product mqnamesrv --product mqbroker --product mqadmin --product mqbench --product rocketmq-example 2>&1 \
    | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
bindir="$(swift build -c release --show-bin-path)"
rm -rf "$stage" "$target/$name-bin-release.zip"
mkdir -p "$stage/lib" "$stage/bin" "$stage/conf" "$stage/benchmark"
for exe in mqnamesrv mqbroker mqadmin mqbench rocketmq-example; do
    cp "$bindir/$exe" "$stage/lib/"
    strip "$stage/lib/$exe" 2>/dev/null || true
done
cp -R distribution/bin/. "$stage/bin/"
cp -R distribution/conf/. "$stage/conf/"
cp -R distribution/benchmark/. "$stage/benchmark/"
cp README.md LICENSE "$stage/"
chmod +x "$stage"/bin/* "$stage"/benchmark/*
(cd "$target" && zip -qr "$name-bin-release.zip" "$name")
echo "$target/$name-bin-release.zip"

#!/usr/bin/env bash
# Fills the npm packages from a `make release` directory: the main package
# byocpack (the launcher, the version, its optional dependencies) and one
# package @byocpack/<os>-<arch> per binary, holding the binary itself, so
# installing downloads nothing but packages. Each binary is checked
# against SHA256SUMS first.
#
# usage: npm/fill.sh RELEASE_DIR VERSION OUT_DIR
#   VERSION is the release tag (v1.2.3); the packages get 1.2.3.
#   OUT_DIR receives byocpack/ and @byocpack/<os>-<arch>/, ready for
#   npm pack or npm publish.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 RELEASE_DIR VERSION OUT_DIR" >&2; exit 2; }
release=$1 tag=$2 out=$3
here="$(cd "$(dirname "$0")" && pwd)"
[[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || { echo "$0: $tag is not a release tag such as v1.2.3" >&2; exit 2; }
version=${tag#v}
[ -f "$release/SHA256SUMS" ] || { echo "$0: $release has no SHA256SUMS; run make release first" >&2; exit 1; }
(cd "$release" && sha256sum -c --quiet SHA256SUMS) || { echo "$0: a binary in $release does not match SHA256SUMS" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/byocpack/bin" "$out/@byocpack"
cp "$here/byocpack/bin/byocpack.js" "$out/byocpack/bin/"
# Go's names to Node's (process.platform, process.arch).
node_os() { case $1 in windows) echo win32 ;; *) echo "$1" ;; esac; }
node_cpu() { case $1 in amd64) echo x64 ;; *) echo "$1" ;; esac; }

deps=
# Only what SHA256SUMS lists and checked above: a file merely lying in the
# folder (byocpack-TAG-linux-x64 beside -linux-amd64) would land in the
# same package and replace the checked binary.
for f in "$release"/byocpack-"$tag"-*; do
  listed=$(awk -v f="${f##*/}" '$2 == f || $2 == "*" f { print "yes" }' "$release/SHA256SUMS")
  [ "$listed" = yes ] || continue
  case "${f##*/byocpack-"$tag"-}" in
    linux-amd64|linux-arm64|darwin-amd64|darwin-arm64|windows-amd64.exe|windows-arm64.exe) ;;
    *) echo "$0: ${f##*/} is no platform byocpack releases for" >&2; exit 1 ;;
  esac
  name=${f##*/byocpack-"$tag"-}
  name=${name%.exe}
  goos=${name%-*} goarch=${name#*-}
  os=$(node_os "$goos") cpu=$(node_cpu "$goarch")
  pkg="$out/@byocpack/$os-$cpu"
  exe=byocpack
  [ "$goos" = windows ] && exe=byocpack.exe
  mkdir -p "$pkg/bin"
  cp "$f" "$pkg/bin/$exe"
  chmod 0755 "$pkg/bin/$exe"
  cat > "$pkg/package.json" <<JSON
{
  "name": "@byocpack/$os-$cpu",
  "version": "$version",
  "description": "The byocpack binary for $os $cpu; install byocpack, which picks it.",
  "homepage": "https://github.com/byocpack/byocpack",
  "repository": {"type": "git", "url": "git+https://github.com/byocpack/byocpack.git"},
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$exe"],
  "preferUnplugged": true
}
JSON
  deps="$deps${deps:+,}\"@byocpack/$os-$cpu\": \"$version\""
done
[ -n "$deps" ] || { echo "$0: $release holds no byocpack-$tag-* binary" >&2; exit 1; }
# The main package's manifest with the version and the optional
# dependencies of the binaries this release has.
node -e '
const fs = require("fs");
const [src, dst, version, deps] = process.argv.slice(1);
const p = JSON.parse(fs.readFileSync(src, "utf8"));
p.version = version;
p.optionalDependencies = JSON.parse("{" + deps + "}");
fs.writeFileSync(dst, JSON.stringify(p, null, 2) + "\n");
' "$here/byocpack/package.json" "$out/byocpack/package.json" "$version" "$deps"
echo "filled $(ls "$out/@byocpack" | wc -l) platform packages and byocpack $version in $out"

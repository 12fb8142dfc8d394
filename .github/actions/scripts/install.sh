#!/usr/bin/env bash
# Installs byocpack for the Action: the release binary for this runner,
# checked against the release's SHA256SUMS before it is made executable,
# or, with BYOCPACK_FROM_SOURCE=true, a build of the Action's own checkout.
#
# In:  BYOCPACK_VERSION (a release tag, v1.2.3), BYOCPACK_BASE_URL (where
#      releases live: $BASE/$VERSION/<asset>), BYOCPACK_FROM_SOURCE,
#      BYOCPACK_SOURCE (the checkout to build), RUNNER_OS, RUNNER_ARCH,
#      RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT.
# Out: byocpack in $RUNNER_TEMP/byocpack-bin, that directory on GITHUB_PATH,
#      outputs path and version.
set -euo pipefail

fail() { echo "::error title=byocpack install::$*" >&2; exit 1; }

: "${RUNNER_TEMP:?RUNNER_TEMP is unset: run inside GitHub Actions}"
: "${GITHUB_PATH:?GITHUB_PATH is unset: run inside GitHub Actions}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is unset: run inside GitHub Actions}"

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) fail "runner OS '${RUNNER_OS:-}' has no byocpack release; use from-source: true" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fail "runner architecture '${RUNNER_ARCH:-}' has no byocpack release; use from-source: true" ;;
esac
ext=
[ "$os" = windows ] && ext=.exe

dest="$RUNNER_TEMP/byocpack-bin"
rm -rf "$dest"
mkdir -p "$dest"

if [ "${BYOCPACK_FROM_SOURCE:-false}" = true ]; then
  src="${BYOCPACK_SOURCE:?BYOCPACK_SOURCE names the checkout to build}"
  command -v go >/dev/null || fail "from-source: true needs Go on PATH (actions/setup-go)"
  version="$(git -C "$src" describe --tags --always --dirty 2>/dev/null || echo dev)"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=$version" -o "$dest/byocpack$ext" ./cmd/byocpack) \
    || fail "go build of $src failed"
else
  version="${BYOCPACK_VERSION:?BYOCPACK_VERSION names the release to install, such as v1.0.0}"
  # A tag, not a path or a query: it becomes part of a URL and a file name.
  [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || fail "version '$version' is not a release tag such as v1.2.3"
  base="${BYOCPACK_BASE_URL:?BYOCPACK_BASE_URL names where releases live}"
  # Only HTTPS, except a server on this machine (the tests'). The
  # authority is judged whole: "http://127.0.0.1:1@host" is host, reached
  # in plain text, and no credentials or odd characters belong in it.
  authority="${base#*://}"
  authority="${authority%%/*}"
  [[ "$authority" =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] || fail "download-url must name a host, without user information or odd characters (got '$base')"
  case "$base" in
    https://*) ;;
    http://*) [[ "$authority" =~ ^127\.0\.0\.1(:[0-9]+)?$ ]] || fail "download-url must be https:// (got '$base')" ;;
    *) fail "download-url must be https:// (got '$base')" ;;
  esac
  asset="byocpack-$version-$os-$arch$ext"
  tmp="$(mktemp -d "$RUNNER_TEMP/byocpack-dl.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  fetch() { curl -fsSL --retry 3 --max-time 300 --max-filesize 104857600 -o "$2" "$1" || fail "cannot download $1"; }
  fetch "$base/$version/SHA256SUMS" "$tmp/SHA256SUMS"
  fetch "$base/$version/$asset" "$tmp/$asset"
  want="$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")"
  [ -n "$want" ] || fail "SHA256SUMS of $version lists no $asset"
  if command -v sha256sum >/dev/null; then
    got="$(sha256sum "$tmp/$asset" | awk '{print $1}')"
  else
    got="$(shasum -a 256 "$tmp/$asset" | awk '{print $1}')"
  fi
  [ "$got" = "$want" ] || fail "$asset has SHA-256 $got, but SHA256SUMS says $want: refusing to install it"
  mv "$tmp/$asset" "$dest/byocpack$ext"
fi
chmod 0755 "$dest/byocpack$ext"
echo "$dest" >> "$GITHUB_PATH"
{
  echo "path=$dest/byocpack$ext"
  echo "version=$version"
} >> "$GITHUB_OUTPUT"
echo "installed byocpack $version ($os/$arch) in $dest"

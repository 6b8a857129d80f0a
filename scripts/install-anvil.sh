#!/usr/bin/env bash
# Installs the pinned anvil (npm @foundry-rs/anvil) where io.taintwatch.embedded.Anvil looks for it:
# $TAINTWATCH_CACHE/anvil/<version> (default ~/.cache/taintwatch/anvil/<version>). Fast no-op when already there.
# Installs Node.js and npm with apt-get when they are missing (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' monitor-embedded/src/main/resources/io/taintwatch/embedded/anvil.properties)
dir="${TAINTWATCH_CACHE:-$HOME/.cache/taintwatch}/anvil/$version"
case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; *) arch=amd64 ;; esac
case "$(uname -s)" in Darwin) os=darwin ;; *) os=linux ;; esac
bin="$dir/node_modules/@foundry-rs/anvil-$os-$arch/bin/anvil"
if [ -x "$bin" ] || [ -x "$dir/node_modules/@foundry-rs/anvil/dist/anvil" ]; then
  echo "anvil $version: already installed in $dir"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Node.js and npm (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "anvil needs Node.js and npm: install them (apt-get install nodejs npm) or set TAINTWATCH_ANVIL=/path/to/anvil" >&2
    exit 1
  fi
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "@foundry-rs/anvil@$version"
"$bin" --version | head -1

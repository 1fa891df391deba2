#!/usr/bin/env bash
# make tools: install the third-party OpenAPI tools that make lint and
# make test run (Spectral, Prism, Dredd) from npm into .tools/, pinned, when
# they are missing or pinned to other versions. Node.js and npm come from
# Debian when the machine has none (CI starts with Go alone).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${TOOLS_DIR:-.tools}
# Exact versions. Prism 5.15 and later need Node.js 24; Debian's is older.
PACKAGES=(
	@stoplight/spectral-cli@6.16.3
	@stoplight/prism-cli@5.14.2
	dredd@14.1.0
)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "tools: installing nodejs and npm from Debian" >&2
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y -qq nodejs npm >/dev/null 2>&1 ||
		{ $sudo apt-get update -qq && $sudo apt-get install -y -qq nodejs npm >/dev/null; }
fi

stamp="$DIR/installed"
want="${PACKAGES[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	exit 0
fi
echo "tools: npm install $want into $DIR" >&2
mkdir -p "$DIR"
npm install --no-audit --no-fund --save-exact --loglevel=error --prefix "$DIR" "${PACKAGES[@]}" >&2
echo "$want" >"$stamp"

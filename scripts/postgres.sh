#!/usr/bin/env bash
# make postgres: a PostgreSQL server for the tests, on 127.0.0.1:$PGPORT
# (55432), its data in .tools/postgres (as root, in postgres's home).
# Installs Debian's postgresql when missing, creates the cluster (initdb,
# trust on loopback) and starts it when it is not running; prints its URL,
# which `make test` passes to the tests as ENSWITCH_TEST_POSTGRES. A server
# already answering on the port is used as it is. As root, the server runs
# as the postgres user. `stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

PGPORT=${PGPORT:-55432}
# As root the server runs as postgres, which may not reach a checkout under
# a private folder (/root/...): its data then lives in postgres's own home.
if [ "$(id -u)" = 0 ]; then
	DIR=${PGDIR:-/var/lib/postgresql/enswitch-kit-$PGPORT}
else
	DIR=${PGDIR:-$PWD/.tools/postgres}
fi
URL="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(bindir)
if [ -z "$bin" ]; then
	echo "postgres: installing Debian's postgresql" >&2
	{ apt-get install -y -qq postgresql || { apt-get update -qq && apt-get install -y -qq postgresql; }; } >/dev/null 2>&1 ||
		{ echo "postgres: could not install Debian's postgresql, which the state store tests need" >&2; exit 1; }
	bin=$(bindir)
fi

# The server refuses to run as root: run it as postgres.
as=()
if [ "$(id -u)" = 0 ]; then
	as=(runuser -u postgres --)
fi

if [ "${1:-}" = stop ]; then
	"${as[@]}" "$bin/pg_ctl" -D "$DIR/data" -m fast stop >&2
	exit 0
fi

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
	echo "$URL"
	exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$DIR"
fi
if [ ! -f "$DIR/data/PG_VERSION" ]; then
	"${as[@]}" "$bin/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 ||
		{ echo "postgres: initdb failed:" >&2; cat "$DIR/initdb.log" >&2; exit 1; }
fi
# max_connections: the tests run replicas with pools of 32 side by side.
"${as[@]}" "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
	-o "-p $PGPORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null ||
	{ echo "postgres: the server did not start:" >&2; tail -n 20 "$DIR/server.log" >&2; exit 1; }
echo "$URL"

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests that need a real server.
#
#   eval "$(bash scripts/postgres-test-cluster.sh start)"   # prints export lines
#   bash scripts/postgres-test-cluster.sh stop "$CDX_TEST_POSTGRES_CLUSTER"
#
# start installs PostgreSQL from Debian's packages when it is missing (as
# root), runs initdb into a new folder (see scratch_base; as the postgres user
# when run as root: initdb refuses root), trusts connections on 127.0.0.1 and
# its Unix socket, listens on a private port (CDX_TEST_POSTGRES_PORT, else
# the first free one from 54329), and prints how to reach it:
#   CDX_TEST_POSTGRES         postgresql://postgres@127.0.0.1:PORT/postgres
#   CDX_TEST_POSTGRES_SOCKET  the folder of its Unix socket
#   CDX_TEST_POSTGRES_CLUSTER the cluster's folder (what stop takes)
# Members of the role cdx_needs_password must give a password even here, so
# tests can see a server refuse credentials. stop stops it and removes it;
# restart restarts it (fast: connections are cut).
set -euo pipefail

say() { echo "postgres-test-cluster: $*" >&2; }

bin_dir() {
	local found
	found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$found" ] && command -v pg_ctl >/dev/null 2>&1; then
		found=$(dirname "$(command -v pg_ctl)")
	fi
	printf '%s' "$found"
}

# Runs a command as the cluster's owner: the postgres user when we are root.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Where the cluster goes: $TMPDIR when set, else memory (/dev/shm) when it is
# a tmpfs with 1 GiB free, else /tmp. Each test makes and drops a database,
# hundreds of files, and on a disk whose ext4 has no journal every new file
# first scans past those deleted in the last seconds (see ava.config.js).
scratch_base() {
	if [ -n "${TMPDIR:-}" ]; then
		printf '%s' "$TMPDIR"
	elif [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
		[ "$(df --output=avail -B1 /dev/shm 2>/dev/null | tail -n 1)" -ge $((1 << 30)) ]; then
		printf '/dev/shm'
	else
		printf '/tmp'
	fi
}

start() {
	local bin
	bin=$(bin_dir)
	if [ -z "$bin" ]; then
		if [ "$(id -u)" -ne 0 ]; then
			say "PostgreSQL is not installed; run as root to install it, or apt-get install -y postgresql"
			exit 1
		fi
		say "installing PostgreSQL from Debian's packages"
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
		bin=$(bin_dir)
		[ -n "$bin" ] || { say "postgresql installed but no pg_ctl found"; exit 1; }
	fi

	local port=${CDX_TEST_POSTGRES_PORT:-}
	if [ -z "$port" ]; then
		port=54329
		while port_in_use "$port"; do port=$((port + 1)); done
	fi

	local cluster
	cluster=$(mktemp -d "$(scratch_base)/cdx-postgres-XXXXXX")
	mkdir "$cluster/socket"
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$cluster"
	chmod 0755 "$cluster"

	as_owner "$bin/initdb" --pgdata="$cluster/data" --username=postgres \
		--auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 ||
		{ cat "$cluster/initdb.log" >&2; exit 1; }
	cat >"$cluster/data/pg_hba.conf" <<-'HBA'
		# TYPE DATABASE USER                ADDRESS      METHOD
		local  all      +cdx_needs_password              scram-sha-256
		host   all      +cdx_needs_password 127.0.0.1/32 scram-sha-256
		local  all      all                              trust
		host   all      all                 127.0.0.1/32 trust
	HBA
	as_owner "$bin/pg_ctl" --pgdata="$cluster/data" --wait --silent \
		--log="$cluster/server.log" \
		--options="-c listen_addresses=127.0.0.1 -p $port -k $cluster/socket" start >&2 ||
		{ cat "$cluster/server.log" >&2; exit 1; }
	as_owner "$bin/psql" -q -h "$cluster/socket" -p "$port" -U postgres -d postgres \
		-c "CREATE ROLE cdx_needs_password NOLOGIN" >&2

	echo "export CDX_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$port/postgres"
	echo "export CDX_TEST_POSTGRES_SOCKET=$cluster/socket"
	echo "export CDX_TEST_POSTGRES_CLUSTER=$cluster"
	say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $cluster"
}

stop() {
	local cluster=${1:-${CDX_TEST_POSTGRES_CLUSTER:-}}
	if [ -z "$cluster" ] || [ ! -f "$cluster/data/PG_VERSION" ]; then
		say "stop: give the cluster's folder (CDX_TEST_POSTGRES_CLUSTER)"
		exit 2
	fi
	as_owner "$(bin_dir)/pg_ctl" --pgdata="$cluster/data" --wait --silent --mode=fast stop >&2 || true
	rm -rf "$cluster"
}

# A fast restart (connections cut, as a store server's restart does), for the reliability test.
restart() {
	local cluster=${1:-}
	[ -f "$cluster/data/PG_VERSION" ] || { say "restart: give the cluster's folder"; exit 2; }
	as_owner "$(bin_dir)/pg_ctl" --pgdata="$cluster/data" --wait --silent --mode=fast \
		--log="$cluster/server.log" restart >&2
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
restart) restart "${2:-}" ;;
*)
	echo "usage: $0 start | stop CLUSTER_FOLDER | restart CLUSTER_FOLDER" >&2
	exit 2
	;;
esac

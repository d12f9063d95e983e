#!/usr/bin/env bash
# All of NasSav's servers on this machine at once (PostgreSQL, Redis, RabbitMQ, Garnet), each through
# its own script in this folder.
#   deploy/local/servers.sh start|stop|status|env|install [postgres] [redis] [rabbitmq] [garnet]
# With no names: all four. `install` only installs what is missing (Debian packages in one apt run;
# Garnet as a .NET tool under the run folder). Garnet is a second Redis-compatible server for the
# Redis client's tests; its `env` line is printed only while it runs.
# `status` prints "NAME running|stopped" per server; `env` prints the NASSAV_TEST_* lines.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

verb="${1:-}"; shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(postgres redis rabbitmq garnet)
for n in "${names[@]}"; do
  case "$n" in postgres|redis|rabbitmq|garnet) ;; *) echo "unknown server '$n' (postgres, redis, rabbitmq, garnet)" >&2; exit 2 ;; esac
done

install_missing() {
  local pkgs=()
  for n in "${names[@]}"; do
    case "$n" in
      postgres) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || pkgs+=(postgresql) ;;
      redis) command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server) ;;
      rabbitmq) [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || pkgs+=(rabbitmq-server) ;;
    esac
  done
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
  for n in "${names[@]}"; do [ "$n" != garnet ] || "$HERE/garnet.sh" install; done
}

case "$verb" in
  install) install_missing ;;
  start)
    install_missing
    # Start in order, RabbitMQ last (the slowest, 5-10 s); one failure stops the lot with its message.
    for n in "${names[@]}"; do [ "$n" = rabbitmq ] || "$HERE/$n.sh" start; done
    for n in "${names[@]}"; do [ "$n" != rabbitmq ] || "$HERE/$n.sh" start; done
    ;;
  stop)
    rc=0
    for n in "${names[@]}"; do "$HERE/$n.sh" stop || rc=1; done
    exit $rc
    ;;
  status) for n in "${names[@]}"; do echo "$n $("$HERE/$n.sh" status)"; done ;;
  env) for n in "${names[@]}"; do "$HERE/$n.sh" env; done ;;
  *) echo "usage: $0 start|stop|status|env|install [postgres] [redis] [rabbitmq] [garnet]" >&2; exit 2 ;;
esac

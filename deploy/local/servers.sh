#!/usr/bin/env bash
# All of NasSav's servers on this machine at once (PostgreSQL, Redis, RabbitMQ, and s3rver for the
# S3 tests), each through its own script in this folder.
#   deploy/local/servers.sh start|stop|status|env|install [postgres] [redis] [rabbitmq] [s3rver]
# With no names: all four. `install` only installs what is missing (Debian packages in one apt run;
# s3rver as an npm package under the run folder).
# `status` prints "NAME running|stopped" per server; `env` prints the NASSAV_TEST_* lines.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

verb="${1:-}"; shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(postgres redis rabbitmq s3rver)
for n in "${names[@]}"; do
  case "$n" in postgres|redis|rabbitmq|s3rver) ;; *) echo "unknown server '$n' (postgres, redis, rabbitmq, s3rver)" >&2; exit 2 ;; esac
done

install_missing() {
  local pkgs=()
  for n in "${names[@]}"; do
    case "$n" in
      postgres) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || pkgs+=(postgresql) ;;
      redis) command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server) ;;
      rabbitmq) [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || pkgs+=(rabbitmq-server) ;;
      s3rver) command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm) ;;
    esac
  done
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
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
  *) echo "usage: $0 start|stop|status|env|install [postgres] [redis] [rabbitmq] [s3rver]" >&2; exit 2 ;;
esac

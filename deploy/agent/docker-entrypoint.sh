#!/bin/sh
# Entry point of the agent image (Dockerfile.agent). `run` (the default command):
#   1. enrols the node on its first start, when the state directory holds no enrolment yet,
#      from HA_AGENT_MASTER, HA_AGENT_CA_HASH and HA_AGENT_TOKEN (the parts of the master's join
#      command) and, optionally, HA_AGENT_NAME;
#   2. runs `ha-agent run` (supervised: the agent starts HAProxy inside this container);
#   3. on SIGTERM/SIGINT stops the agent, then HAProxy gracefully: its workers finish the
#      connections they hold (HA_AGENT_HAPROXY_STOP_SECONDS, default 20) before it exits.
#      Under systemd HAProxy outlives the agent on purpose; in a container the container is
#      HAProxy's lifetime, so it is stopped cleanly rather than killed with the container.
# Any other command (join, status, version, help) is passed to ha-agent as is.
#
# Paths are relative to the working directory (/app in the image), so the same command runs from
# a checkout of the repository after `npm run build`.
set -eu

state_dir="${HA_AGENT_STATE_DIR:-/var/lib/ha-agent}"
agent_main="packages/agent/dist/main.js"
stop_seconds="${HA_AGENT_HAPROXY_STOP_SECONDS:-20}"

log() { printf 'ha-agent-entrypoint: %s\n' "$*" >&2; }

# A process counts as gone once it exited, even while still a zombie nobody reaped yet.
alive() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
  [ "$state" != Z ] && [ "$state" != X ]
}

command="${1:-run}"
[ $# -gt 0 ] && shift
if [ "$command" != run ]; then
  exec node "$agent_main" "$command" "$@"
fi

if [ ! -f "$state_dir/agent.json" ]; then
  if [ -z "${HA_AGENT_TOKEN:-}" ] || [ -z "${HA_AGENT_MASTER:-}" ] || [ -z "${HA_AGENT_CA_HASH:-}" ]; then
    log "this node is not enrolled ($state_dir has no agent.json). For the first start set HA_AGENT_MASTER, HA_AGENT_CA_HASH and HA_AGENT_TOKEN from the master's join command."
    exit 1
  fi
  log "enrolling with $HA_AGENT_MASTER"
  # The token reaches ha-agent through its environment (HA_AGENT_TOKEN), never its arguments.
  node "$agent_main" join --master "$HA_AGENT_MASTER" --ca-hash "$HA_AGENT_CA_HASH" \
    --state-dir "$state_dir" ${HA_AGENT_NAME:+--name "$HA_AGENT_NAME"}
fi
# Nothing after enrolment needs the token.
unset HA_AGENT_TOKEN

node "$agent_main" run --state-dir "$state_dir" "$@" &
agent=$!

stop() {
  trap '' TERM INT
  log "stopping the agent"
  kill -TERM "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null && code=0 || code=$?
  pid=$(cat "$state_dir/run/haproxy.pid" 2>/dev/null | head -n1 || true)
  if alive "$pid"; then
    log "stopping HAProxy (pid $pid): finishing open connections for up to ${stop_seconds}s"
    kill -USR1 "$pid" 2>/dev/null || true
    waited=0
    while alive "$pid" && [ "$waited" -lt "$((stop_seconds * 10))" ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if alive "$pid"; then
      log "HAProxy still running after ${stop_seconds}s: stopping it now"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  fi
  # 143 is what a SIGTERM'd agent reports through `wait`; it exits 0 on SIGTERM itself.
  [ "$code" -eq 143 ] && code=0
  exit "$code"
}
trap stop TERM INT

# `wait` returns early when a trapped signal arrives; the trap then exits. If the agent exits by
# itself (an error), the container exits with its status and the restart policy applies.
set +e
wait "$agent"
code=$?
log "the agent exited with status $code"
exit "$code"

#!/bin/sh
# Installs ha-agent on an HAProxy host (VM, LXC container, bare metal) running systemd:
#
#   1. checks HAProxy (>= 2.6) and Node (>= 20.19, or one in the bundle) are there;
#   2. installs the bundle (build-bundle.sh) into /opt/ha-agent, the command into
#      /usr/local/bin/ha-agent and the unit into /etc/systemd/system/ha-agent.service;
#   3. creates the system user ha-agent and the state directory /var/lib/ha-agent (0750);
#   4. writes /etc/ha-agent/config.json (kept if it exists);
#   5. enrols the node: ha-agent join, with the token from HA_AGENT_TOKEN or --token-file
#      (skipped when the node is enrolled already, unless --force);
#   6. enables the service and (re)starts it.
#
#   HA_AGENT_TOKEN=... sh install.sh --bundle ha-agent-0.1.0.tar.gz \
#       --master ha-master-grpc.example.com:30443 --ca-hash sha256:…
#
# Run it again with a newer bundle to upgrade: steps 1-4 and 6 only (HAProxy keeps running).
# --root DIR writes everything below DIR instead of / (packaging, tests): the checks and the join
# still run on this machine, the user is added to DIR/etc/passwd, and the unit is enabled with
# `systemctl --root`, never started.
set -eu

usage() {
  # The comment at the top of this file.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  cat >&2 <<'EOF'

Options:
  --bundle PATH         the bundle directory or .tar.gz (required)
  --master HOST:PORT    the master's gRPC address, from the join command (required to enrol)
  --ca-hash sha256:HEX  the master's CA pin, from the join command (required to enrol)
  --token-file FILE     file holding the one-time token (or set HA_AGENT_TOKEN)
  --name NAME           node name shown in the console (default: host name)
  --mode MODE           supervised (default: the agent runs HAProxy) or external
  --reload-command CMD  external mode (default: sudo -n systemctl reload-or-restart haproxy.service)
  --runtime-socket PATH external mode: HAProxy's stats socket (level admin)
  --haproxy-bin PATH    default /usr/sbin/haproxy
  --force               enrol again even if the node is enrolled
  --no-start            enable the service but do not start it
  --root DIR            install below DIR (see above)
EOF
  exit 2
}

bundle="" master="" ca_hash="" token_file="" name="" mode="supervised" haproxy_bin="/usr/sbin/haproxy"
reload_command="sudo -n systemctl reload-or-restart haproxy.service" runtime_socket=""
force=false start=true root=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="${2:?}"; shift 2 ;;
    --master) master="${2:?}"; shift 2 ;;
    --ca-hash) ca_hash="${2:?}"; shift 2 ;;
    --token-file) token_file="${2:?}"; shift 2 ;;
    --name) name="${2:?}"; shift 2 ;;
    --mode) mode="${2:?}"; shift 2 ;;
    --reload-command) reload_command="${2:?}"; shift 2 ;;
    --runtime-socket) runtime_socket="${2:?}"; shift 2 ;;
    --haproxy-bin) haproxy_bin="${2:?}"; shift 2 ;;
    --force) force=true; shift ;;
    --no-start) start=false; shift ;;
    --root) root="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown option $1" >&2; usage ;;
  esac
done

say() { printf 'install.sh: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

[ -n "$bundle" ] || usage
case "$mode" in supervised|external) ;; *) fail "--mode must be supervised or external" ;; esac
if [ -n "$root" ]; then
  root=$(cd "$root" && pwd)
  [ "$root" != / ] || root=""
fi
[ -n "$root" ] || [ "$(id -u)" = 0 ] || fail "run as root (or with --root DIR)"

USER_NAME=ha-agent
OPT="$root/opt/ha-agent"
STATE="$root/var/lib/ha-agent"
ETC="$root/etc/ha-agent"
UNIT_DIR="$root/etc/systemd/system"

# ---------------------------------------------------------------- 1. checks
[ -x "$haproxy_bin" ] || fail "HAProxy is not installed ($haproxy_bin not found). Install it first, e.g. apt-get install haproxy (>= 2.6), or pass --haproxy-bin."
haproxy_version=$("$haproxy_bin" -v 2>/dev/null | sed -n 's/^HA-\{0,1\}Proxy version \([0-9][0-9.]*\).*/\1/p' | head -n1)
[ -n "$haproxy_version" ] || fail "$haproxy_bin -v did not print a version"
haproxy_major=${haproxy_version%%.*}
haproxy_minor=$(echo "$haproxy_version" | cut -d. -f2)
if [ "$haproxy_major" -lt 2 ] || { [ "$haproxy_major" -eq 2 ] && [ "$haproxy_minor" -lt 6 ]; }; then
  fail "HAProxy $haproxy_version is too old: the agent needs 2.6 or newer"
fi
say "HAProxy $haproxy_version at $haproxy_bin"

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
if [ -f "$bundle" ]; then
  tar -xzf "$bundle" -C "$workdir"
  src=$(find "$workdir" -mindepth 2 -maxdepth 2 -name VERSION -exec dirname {} \; | head -n1)
  [ -n "$src" ] || fail "$bundle is not an agent bundle (no VERSION inside)"
elif [ -f "$bundle/VERSION" ]; then
  src="$bundle"
else
  fail "$bundle is not an agent bundle (build one with deploy/agent/build-bundle.sh)"
fi
version=$(cat "$src/VERSION")

if [ -x "$src/bin/node" ]; then
  node="$src/bin/node"
else
  node=$(command -v node || true)
  [ -n "$node" ] || fail "Node.js 20.19 or newer is needed (or a bundle built with --with-node)"
fi
"$node" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  fail "Node.js $("$node" --version) at $node is too old: 20.19 or newer is needed (or a bundle built with --with-node)"

if [ -z "$root" ]; then
  command -v systemctl >/dev/null 2>&1 || fail "systemd is needed (systemctl not found); see docs/agent-install.md for running the agent image instead"
fi
[ -f "$root/etc/passwd" ] || fail "$root/etc/passwd does not exist"

# Enrolment needs the join command's parts: check them now, before anything is installed.
enrol=false
if [ ! -f "$STATE/agent.json" ] || $force; then
  enrol=true
  [ -n "$master" ] && [ -n "$ca_hash" ] || fail "to enrol, pass --master and --ca-hash (from the master's join command)"
  if [ -n "$token_file" ]; then
    [ -r "$token_file" ] || fail "cannot read the token file $token_file"
    HA_AGENT_TOKEN=$(cat "$token_file")
  fi
  [ -n "${HA_AGENT_TOKEN:-}" ] || fail "to enrol, set HA_AGENT_TOKEN or pass --token-file (the token of the join command)"
fi

# ---------------------------------------------------------------- 2. files
mkdir -p "$root/opt" "$root/usr/local/bin" "$UNIT_DIR"
rm -rf "$OPT.new"
cp -R "$src" "$OPT.new"
chmod -R go-w "$OPT.new"
# Swap in the new tree in one rename; the running agent keeps the files it has open.
if [ -d "$OPT" ]; then
  rm -rf "$OPT.old"
  mv "$OPT" "$OPT.old"
fi
mv "$OPT.new" "$OPT"
rm -rf "$OPT.old"
ln -sfn /opt/ha-agent/bin/ha-agent "$root/usr/local/bin/ha-agent"
install -m 0644 "$OPT/share/ha-agent.service" "$UNIT_DIR/ha-agent.service"
say "installed ha-agent $version in ${root}/opt/ha-agent"

# ---------------------------------------------------------------- 3. user and state directory
passwd_file="$root/etc/passwd"
if ! grep -q "^$USER_NAME:" "$passwd_file"; then
  if [ -n "$root" ]; then
    useradd --prefix "$root" --system --user-group --no-create-home --home-dir /var/lib/ha-agent --shell /usr/sbin/nologin "$USER_NAME"
  else
    useradd --system --user-group --no-create-home --home-dir /var/lib/ha-agent --shell /usr/sbin/nologin "$USER_NAME"
  fi
  say "created the system user $USER_NAME"
fi
uid=$(awk -F: -v u="$USER_NAME" '$1 == u { print $3 }' "$passwd_file")
gid=$(awk -F: -v u="$USER_NAME" '$1 == u { print $4 }' "$passwd_file")
install -d -m 0750 "$STATE"
chown "$uid:$gid" "$STATE"

# ---------------------------------------------------------------- 4. configuration
install -d -m 0755 "$ETC"
if [ ! -f "$ETC/config.json" ]; then
  if [ "$mode" = supervised ]; then
    "$node" -e 'process.stdout.write(JSON.stringify({ stateDir: "/var/lib/ha-agent", mode: "supervised", haproxyBin: process.argv[1], logLevel: "info" }, null, 2) + "\n")' \
      "$haproxy_bin" >"$ETC/config.json"
  else
    "$node" -e 'const [bin, cmd, sock] = process.argv.slice(1); process.stdout.write(JSON.stringify({ stateDir: "/var/lib/ha-agent", mode: "external", haproxyBin: bin, reloadCommand: cmd, ...(sock ? { runtimeSocket: sock } : {}), logLevel: "info" }, null, 2) + "\n")' \
      "$haproxy_bin" "$reload_command" "$runtime_socket" >"$ETC/config.json"
  fi
  chmod 0644 "$ETC/config.json"
  say "wrote ${root}/etc/ha-agent/config.json ($mode mode)"
else
  say "kept ${root}/etc/ha-agent/config.json"
fi
if [ "$mode" = external ]; then
  # The reload runs `sudo systemctl`: the sandbox must allow it, and sudo must allow exactly that.
  install -d -m 0755 "$UNIT_DIR/ha-agent.service.d" "$UNIT_DIR/haproxy.service.d" "$root/etc/sudoers.d"
  cat >"$UNIT_DIR/ha-agent.service.d/external.conf" <<'EOF'
# External mode: the agent reloads the system's haproxy.service with sudo.
[Service]
NoNewPrivileges=no
RestrictSUIDSGID=no
ProtectSystem=full
EOF
  cat >"$UNIT_DIR/haproxy.service.d/ha-agent.conf" <<'EOF'
# HAProxy runs the release the agent switched in. Restart HAProxy once after the first
# deployment: a reload keeps the -f path HAProxy was started with.
[Service]
Environment=CONFIG=/var/lib/ha-agent/current/haproxy.cfg
EOF
  printf '%s ALL=(root) NOPASSWD: /usr/bin/systemctl reload-or-restart haproxy.service, /bin/systemctl reload-or-restart haproxy.service\n' "$USER_NAME" \
    >"$root/etc/sudoers.d/ha-agent.new"
  chmod 0440 "$root/etc/sudoers.d/ha-agent.new"
  if command -v visudo >/dev/null 2>&1; then
    visudo -cqf "$root/etc/sudoers.d/ha-agent.new" || fail "the sudo rule did not pass visudo -c"
  fi
  mv "$root/etc/sudoers.d/ha-agent.new" "$root/etc/sudoers.d/ha-agent"
  say "external mode: haproxy.service reads /var/lib/ha-agent/current/haproxy.cfg; sudo rule in /etc/sudoers.d/ha-agent"
fi

# ---------------------------------------------------------------- 5. enrolment
if ! $enrol; then
  say "already enrolled ($(sed -n 's/.*"nodeId": *"\([^"]*\)".*/node \1/p' "$STATE/agent.json")); not joining again (--force to replace)"
else
  # Through the environment, not the command line: `ps` must not show the token.
  HA_AGENT_TOKEN="$HA_AGENT_TOKEN" "$node" "$OPT/lib/packages/agent/dist/main.js" join \
    --master "$master" --ca-hash "$ca_hash" --state-dir "$STATE" --haproxy-bin "$haproxy_bin" \
    ${name:+--name "$name"} $($force && echo --force)
fi
# Join ran as root: the service user must own what it wrote (key.pem stays 0600).
chown -R "$uid:$gid" "$STATE"

# ---------------------------------------------------------------- 6. service
if [ -n "$root" ]; then
  if command -v systemctl >/dev/null 2>&1; then
    systemctl --root="$root" enable ha-agent.service >/dev/null 2>&1 || fail "systemctl --root=$root enable ha-agent.service failed"
  else
    mkdir -p "$UNIT_DIR/multi-user.target.wants"
    ln -sfn /etc/systemd/system/ha-agent.service "$UNIT_DIR/multi-user.target.wants/ha-agent.service"
  fi
  say "enabled ha-agent.service below $root (not started)"
else
  systemctl daemon-reload
  systemctl enable ha-agent.service >/dev/null
  if [ "$mode" = supervised ] && { systemctl is-active --quiet haproxy.service || systemctl is-enabled --quiet haproxy.service; } 2>/dev/null; then
    say "note: the distribution's haproxy.service is enabled or running, but in supervised mode the agent runs HAProxy itself."
    say "      Stop it before you deploy a config that binds its ports (the agent refuses ports another program holds):"
    say "      systemctl disable --now haproxy.service"
    say "      (or install again with --mode external to keep haproxy.service in charge)."
  fi
  if $start; then
    # restart: an upgrade replaces the running agent; HAProxy stays up (KillMode=process).
    systemctl restart ha-agent.service
    say "ha-agent.service is running: journalctl -u ha-agent -f; ha-agent status --config /etc/ha-agent/config.json"
  else
    say "ha-agent.service is enabled; start it with: systemctl start ha-agent"
  fi
fi

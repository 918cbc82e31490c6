#!/bin/sh
# Builds the agent bundle install.sh installs on HAProxy hosts: a directory (and a .tar.gz of it)
# that becomes /opt/ha-agent:
#
#   bin/ha-agent            the command (runs bin/node when present, else the host's node)
#   bin/node                with --with-node: this machine's Node binary (hosts need no Node 20)
#   lib/packages/…/dist     the built agent and the workspace packages it imports
#   lib/node_modules        their run-time dependencies only (npm ci --omit=dev)
#   share/ha-agent.service  the systemd unit; share/doc: agent-install.md, agent.md
#
#   npm ci && npm run build:server
#   sh deploy/agent/build-bundle.sh OUT_DIR [--with-node]
#
# Dependencies come from the npm cache when they are there (--prefer-offline).
set -eu

out="" with_node=false
while [ $# -gt 0 ]; do
  case "$1" in
    --with-node) with_node=true; shift ;;
    -*) echo "build-bundle: unknown option $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
[ -n "$out" ] || { echo "usage: build-bundle.sh OUT_DIR [--with-node]" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/../.." && pwd)
for pkg in shared protocol agent; do
  [ -f "$repo/packages/$pkg/dist/index.js" ] || { echo "build-bundle: packages/$pkg is not built; run npm run build:server first" >&2; exit 1; }
done
version=$(node -p 'require(process.argv[1]).version' "$repo/packages/agent/package.json")

rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/share/doc"
lib="$out/lib"

# The run-time dependencies of the agent's workspaces, resolved from the lockfile like the
# image's prod-deps stage does.
cp "$repo/package.json" "$repo/package-lock.json" "$repo/.npmrc" "$lib/"
for manifest in "$repo"/packages/*/package.json; do
  pkg=$(basename "$(dirname "$manifest")")
  mkdir -p "$lib/packages/$pkg"
  cp "$manifest" "$lib/packages/$pkg/"
done
(cd "$lib" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error \
  -w @ha-master/agent -w @ha-master/shared -w @ha-master/protocol >&2)
rm "$lib/package.json" "$lib/package-lock.json" "$lib/.npmrc"
for manifest in "$lib"/packages/*/package.json; do
  pkg=$(basename "$(dirname "$manifest")")
  case "$pkg" in shared|protocol|agent) cp -R "$repo/packages/$pkg/dist" "$lib/packages/$pkg/" ;; *) rm -r "$lib/packages/$pkg" ;; esac
done
find "$lib/packages" -name '*.map' -delete

cp "$repo/deploy/agent/ha-agent.service" "$out/share/"
cp "$repo/docs/agent-install.md" "$repo/docs/agent.md" "$out/share/doc/"
if $with_node; then
  cp "$(command -v node)" "$out/bin/node"
fi
cat >"$out/bin/ha-agent" <<'EOF'
#!/bin/sh
# ha-agent from its bundle: the bundled Node when there is one, else the host's (>= 20.19).
here=$(dirname "$(readlink -f "$0")")
if [ -x "$here/node" ]; then node="$here/node"; else node=node; fi
exec "$node" "$here/../lib/packages/agent/dist/main.js" "$@"
EOF
chmod 0755 "$out/bin/ha-agent"
echo "$version" >"$out/VERSION"

tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "build-bundle: $out ($(du -sh "$out" | cut -f1)) and $out.tar.gz ($(du -sh "$out.tar.gz" | cut -f1)), ha-agent $version" >&2

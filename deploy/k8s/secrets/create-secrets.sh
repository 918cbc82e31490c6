#!/bin/sh
# Writes the Secrets HA-Master expects, as manifests on stdout, from files in one directory;
# creates the files that are missing with generated values first. Apply the output with
#
#   sh deploy/k8s/secrets/create-secrets.sh --dir ~/ha-master-secrets --db-host ha-master-postgres \
#     | kubectl apply --server-side -f -
#
# Values only ever travel as file contents and base64: no shell, URL or YAML parser sees them
# raw, so user names and passwords may hold $, quotes, spaces, #, @, / or anything but a newline.
# The database URL is built here with the user and password percent-encoded.
#
# Files in --dir (created 0600 when missing; never overwritten):
#   db-user               PostgreSQL user                  generated: hamaster
#   db-password           its password                     generated: 32 random characters
#   jwt-secret            JWT_SECRET                       generated: 64 random characters
#   cert-encryption-key   CERT_ENCRYPTION_KEY (64 hex)     generated: 32 random bytes, hex
#   admin-password        optional: HAMASTER_ADMIN_PASSWORD for the first start (not generated)
#   database-url          with --db-host: written from the above; without: yours, used as is
#                         (e.g. the uri an operator such as CloudNativePG generated)
#
# Secrets written (namespace --namespace, default ha-master):
#   ha-master-database  url               ha-master-secrets  jwt-secret, cert-encryption-key
#   ha-master-postgres  username, password (for overlays/single's PostgreSQL; with --db-host)
#   ha-master-admin     password          (when admin-password exists)
#
# POSIX sh, od, awk, base64, head, tr: Linux and macOS alike. No openssl.
set -eu

usage() {
  # The comment at the top of this file.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  cat >&2 <<'EOF'

Options:
  --dir DIR          the directory of secret files (required)
  --namespace NS     default ha-master
  --db-host HOST     build database-url for this host (overlays/single: ha-master-postgres)
  --db-port PORT     default 5432
  --db-name NAME     default hamaster
  --db-params QUERY  appended after "?", e.g. sslmode=verify-full
EOF
  exit 2
}

dir="" namespace="ha-master" db_host="" db_port="5432" db_name="hamaster" db_params=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
    --namespace) namespace="${2:?--namespace needs a value}"; shift 2 ;;
    --db-host) db_host="${2:?--db-host needs a value}"; shift 2 ;;
    --db-port) db_port="${2:?--db-port needs a value}"; shift 2 ;;
    --db-name) db_name="${2:?--db-name needs a value}"; shift 2 ;;
    --db-params) db_params="${2:?--db-params needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "create-secrets: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$dir" ] || usage
fail() { echo "create-secrets: $*" >&2; exit 1; }

umask 077
mkdir -p "$dir"

# Random characters from [A-Za-z0-9] (no filtering surprises in any consumer).
random_chars() {
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"
}
random_hex() {
  head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}
# Creates a file with generated content unless it exists.
generate() {
  file="$dir/$1"
  shift
  [ -e "$file" ] && return 0
  "$@" >"$file.tmp"
  mv "$file.tmp" "$file"
  echo "create-secrets: generated $file" >&2
}

# A value must be one line with no trailing newline: what a Secret stores is exactly the file.
check_value() {
  file="$dir/$1"
  [ -f "$file" ] || fail "$file is missing"
  [ -s "$file" ] || fail "$file is empty"
  if od -An -v -tx1 "$file" | grep -qw 0a; then
    fail "$file contains a newline. Values are used byte for byte; rewrite it without one, e.g.
  printf '%s' \"\$(cat '$file')\" > '$file.new' && mv '$file.new' '$file'"
  fi
}

# RFC 3986 percent-encoding of a file's bytes (or stdin's): unreserved characters stay, every
# other byte becomes %XX.
percent_encode() {
  od -An -v -tx1 ${1:+"$1"} | awk '
    BEGIN {
      up = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"; low = "abcdefghijklmnopqrstuvwxyz"
      for (i = 0; i < 26; i++) {
        keep[sprintf("%02x", 65 + i)] = substr(up, i + 1, 1)
        keep[sprintf("%02x", 97 + i)] = substr(low, i + 1, 1)
      }
      for (i = 0; i < 10; i++) keep[sprintf("%02x", 48 + i)] = i ""
      keep["2d"] = "-"; keep["2e"] = "."; keep["5f"] = "_"; keep["7e"] = "~"
    }
    { for (i = 1; i <= NF; i++) printf "%s", (($i in keep) ? keep[$i] : "%" toupper($i)) }'
}

b64() {
  base64 <"$1" | tr -d '\n'
}

generate db-user printf '%s' hamaster
generate db-password random_chars 32
generate jwt-secret random_chars 64
generate cert-encryption-key random_hex 32

check_value jwt-secret
check_value cert-encryption-key
[ "$(wc -c <"$dir/jwt-secret" | tr -d ' ')" -ge 32 ] || fail "$dir/jwt-secret must be at least 32 characters"
LC_ALL=C grep -Eqx '[0-9a-fA-F]{64}' "$dir/cert-encryption-key" ||
  fail "$dir/cert-encryption-key must be 64 hex digits (32 bytes)"

if [ -n "$db_host" ]; then
  check_value db-user
  check_value db-password
  case "$db_port" in *[!0-9]*|"") fail "--db-port must be a number" ;; esac
  {
    printf 'postgres://'
    percent_encode "$dir/db-user"
    printf ':'
    percent_encode "$dir/db-password"
    # An IPv6 address goes in brackets.
    case "$db_host" in *:*) printf '@[%s]:%s/' "$db_host" "$db_port" ;; *) printf '@%s:%s/' "$db_host" "$db_port" ;; esac
    printf '%s' "$db_name" | percent_encode
    [ -z "$db_params" ] || printf '?%s' "$db_params"
  } >"$dir/database-url.tmp"
  mv "$dir/database-url.tmp" "$dir/database-url"
  echo "create-secrets: wrote $dir/database-url for $db_host:$db_port/$db_name" >&2
fi
check_value database-url
if [ -e "$dir/admin-password" ]; then
  check_value admin-password
  [ "$(wc -c <"$dir/admin-password" | tr -d ' ')" -ge 12 ] || fail "$dir/admin-password must be at least 12 characters"
fi

# Everything is checked: only now print, so a failure never leaves half the secrets in a pipe to
# kubectl apply.
secret() { # name, then key=file pairs
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    app.kubernetes.io/part-of: ha-master\ntype: Opaque\ndata:\n' "$1" "$namespace"
  shift
  for pair in "$@"; do
    printf '  %s: %s\n' "${pair%%=*}" "$(b64 "$dir/${pair#*=}")"
  done
}

secret ha-master-database url=database-url
secret ha-master-secrets jwt-secret=jwt-secret cert-encryption-key=cert-encryption-key
if [ -n "$db_host" ]; then
  secret ha-master-postgres username=db-user password=db-password
fi
if [ -e "$dir/admin-password" ]; then
  secret ha-master-admin password=admin-password
fi

#!/bin/sh
# Prints one node's host facts for kubectl remedy, reading only, under a host root (first argument, else
# $HOST_ROOT, else /host). Runs in busybox sh. Each record is a header line, then base64 content, then @@end:
#   @@file <path>   a file, by its path on the host
#   @@log <source>  recent log lines (kubelet, kernel)
#   @@missing <what> <why>   something that could not be read
# Private keys are never printed: no *.key file, and no file whose content holds a PRIVATE KEY block.
set -u
ROOT=${1:-${HOST_ROOT:-/host}}
LOG_LINES=${LOG_LINES:-200}
MAX_BYTES=${MAX_BYTES:-1048576}

emit_file() {
  echo "@@file $1"
  head -c "$MAX_BYTES" "$ROOT$1" | base64
  echo "@@end"
}

missing() {
  echo "@@missing $1 $2"
}

is_private() {
  case "${1##*/}" in
    *.key) return 0 ;;
  esac
  grep -q "PRIVATE KEY" "$1" 2>/dev/null
}

read_tree() {
  dir=$1
  if [ ! -d "$ROOT$dir" ]; then
    missing "$dir" "no such directory"
    return
  fi
  find "$ROOT$dir" -type f 2>/dev/null | sort | while IFS= read -r file; do
    is_private "$file" && continue
    if [ -r "$file" ]; then
      emit_file "${file#"$ROOT"}"
    else
      missing "${file#"$ROOT"}" "not readable"
    fi
  done
}

read_flat() {
  dir=$1
  if [ ! -d "$ROOT$dir" ]; then
    missing "$dir" "no such directory"
    return
  fi
  for file in "$ROOT$dir"/*; do
    [ -f "$file" ] || continue
    is_private "$file" && continue
    emit_file "${file#"$ROOT"}"
  done
}

read_log() {
  source=$1
  file=$2
  pattern=$3
  if [ -f "$ROOT$file" ]; then
    echo "@@log $source"
    tail -n "$LOG_LINES" "$ROOT$file" | base64
    echo "@@end"
    return
  fi
  for file in /var/log/syslog /var/log/messages; do
    if [ -f "$ROOT$file" ]; then
      echo "@@log $source"
      grep -h "$pattern" "$ROOT$file" | tail -n "$LOG_LINES" | base64
      echo "@@end"
      return
    fi
  done
  missing "log:$source" "no text log file (a journald-only host needs journalctl, which this pod does not run)"
}

echo "@@remedy-node-facts v1"
read_flat /etc/cni/net.d
read_flat /etc/kubernetes/manifests
read_tree /etc/kubernetes/pki
if [ -f "$ROOT/var/lib/kubelet/config.yaml" ]; then
  emit_file /var/lib/kubelet/config.yaml
else
  missing /var/lib/kubelet/config.yaml "no such file"
fi
read_log kubelet /var/log/kubelet.log "kubelet"
read_log kernel /var/log/kern.log "kernel:"
echo "@@done"

#!/bin/bash
# A card reader without hardware: pcscd with the vpcd driver, and vicc emulating a card in it.
#
#   scripts/virtual-reader.sh start [TYPE] [PORT]   insert a card: TYPE iso7816 (default; a blank
#                                                   ISO 7816-4 card), cryptoflex, nPA, ePass;
#                                                   PORT 35963 (default, "Virtual PCD 00 00") or
#                                                   35964 ("Virtual PCD 00 01")
#   scripts/virtual-reader.sh stop [PORT]           pull the card on PORT (all when omitted) and
#                                                   stop the pcscd this script started, if any
#
# pcscd: one per machine. A running pcscd is reused; otherwise `pcscd --foreground` is started and
# its pid recorded so that `stop` ends it (and only it). Pid files and logs live in
# $ONECARD_RUN_DIR (default /tmp/onecard-run). The card's content is lost when its vicc stops.
set -euo pipefail

run_dir="${ONECARD_RUN_DIR:-/tmp/onecard-run}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$run_dir"

die() { echo "virtual-reader: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ensure_pcscd() {
  if pidof pcscd >/dev/null; then
    # Reused once its virtual reader listens: it may still be starting, or be on its way out.
    for _ in $(seq 30); do
      port_open 35963 && return
      pidof pcscd >/dev/null || break
      sleep 0.1
    done
    pidof pcscd >/dev/null && die "a pcscd is running but its virtual reader (port 35963) is not listening"
  fi
  pcscd --foreground >"$run_dir/pcscd.log" 2>&1 &
  echo $! >"$run_dir/pcscd.pid"
  for _ in $(seq 100); do
    port_open 35963 && return
    sleep 0.1
  done
  die "pcscd started but its virtual reader (port 35963) is not listening; see $run_dir/pcscd.log"
}

reader_name() {  # vpcd: port 35963 + n is "Virtual PCD 00 0n"
  printf 'Virtual PCD 00 %02d' $(( $1 - 35963 ))
}

# Starts vicc on `port` and waits until PC/SC shows its card. Returns 1 when vicc exited (it
# cannot reach vpcd, e.g. while a pcscd is still coming up or going away), 2 when no card appeared.
start_vicc() {
  local type="$1" port="$2" pidfile="$run_dir/vicc-$2.pid"
  "$here/vicc.py" -t "$type" -P "$port" >"$run_dir/vicc-$port.log" 2>&1 &
  echo $! >"$pidfile"
  local name; name="$(reader_name "$port")"
  for _ in $(seq 100); do
    alive "$pidfile" || return 1
    if opensc-tool -l 2>/dev/null | grep -E "^[0-9]+ +Yes .*$name" >/dev/null; then
      echo "card ($type) in reader \"$name\""
      return 0
    fi
    sleep 0.1
  done
  return 2
}

# The last lines of a log, for an error message (run directories of tests are removed afterwards).
log_tail() { [[ -f "$1" ]] && tail -n 5 "$1" | sed 's/^/  | /'; }

start() {
  local type="${1:-iso7816}" port="${2:-35963}"
  local pidfile="$run_dir/vicc-$port.pid"
  alive "$pidfile" && die "a card is already in the reader on port $port (pid $(cat "$pidfile"))"
  local attempt rc=0
  # One more attempt after vicc exited at once: a pcscd that was found running may have been
  # stopping (another program's), and a new one is started then.
  for attempt in 1 2; do
    ensure_pcscd
    rc=0
    start_vicc "$type" "$port" || rc=$?
    [[ $rc -eq 1 && $attempt -eq 1 ]] || break
    sleep 0.5
  done
  case $rc in
    0) return ;;
    1) die "vicc exited; see $run_dir/vicc-$port.log:
$(log_tail "$run_dir/vicc-$port.log")
pcscd log:
$(log_tail "$run_dir/pcscd.log")" ;;
    *) die "no card appeared in reader \"$(reader_name "$port")\"; see $run_dir/vicc-$port.log:
$(log_tail "$run_dir/vicc-$port.log")" ;;
  esac
}

stop_pidfile() {
  local pidfile="$1"
  if alive "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  if [[ $# -ge 1 ]]; then
    stop_pidfile "$run_dir/vicc-$1.pid"
    return
  fi
  for pidfile in "$run_dir"/vicc-*.pid; do
    [[ -e "$pidfile" ]] && stop_pidfile "$pidfile"
  done
  stop_pidfile "$run_dir/pcscd.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start [TYPE] [PORT] | stop [PORT]" ;;
esac

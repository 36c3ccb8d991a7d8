#!/usr/bin/env bash
# Makes a Docker engine answer on a Debian 12 machine without Docker Hub, then builds the local images
# (ops/docker/build-images.sh). Idempotent: every finished step is skipped on the next run.
#   STORAGE_DRIVER  overlay2 (default) or vfs; overlay2 falls back to vfs when dockerd will not start.
#   SKIP_IMAGES=1   only make the engine answer.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STORAGE_DRIVER="${STORAGE_DRIVER:-overlay2}"
LOG_DIR="${CLAIMS_DOCKER_LOG_DIR:-/tmp/claimstracker-docker}"
mkdir -p "$LOG_DIR"
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS

# Debian's docker.io gives dockerd 20.10 (API 1.41); a newer client elsewhere on PATH negotiates down.
pkgs=()
command -v dockerd >/dev/null || pkgs+=(docker.io)
command -v docker-compose >/dev/null || pkgs+=(docker-compose)
command -v debootstrap >/dev/null || pkgs+=(debootstrap)
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "setup-engine: installing ${pkgs[*]}"
  # try the cached package lists first; refresh them only when that fails (stale lists 404)
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" > "$LOG_DIR/apt.log" 2>&1 \
    || { apt-get update -qq >> "$LOG_DIR/apt.log" 2>&1 \
         && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >> "$LOG_DIR/apt.log" 2>&1; } \
    || { tail -20 "$LOG_DIR/apt.log"; exit 1; }
  echo "setup-engine: installed ${pkgs[*]} at $((SECONDS-t0))s"
fi

# A killed dockerd/containerd leaves pid files behind; while one names an existing process (or a
# not yet reaped zombie) the new daemon refuses to start or waits for a containerd that is gone.
clear_stale_pidfile() {  # FILE NAME: remove FILE unless it names a live (non-zombie) process NAME
  local pid stat
  [ -s "$1" ] || return 0
  pid="$(cat "$1")"
  stat="$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)"
  if [ -n "$stat" ] && [ "$stat" != Z ] && [ "$(ps -o comm= -p "$pid")" = "$2" ]; then return 1; fi
  rm -f "$1"
}
if ! docker version >/dev/null 2>&1; then
  if ! clear_stale_pidfile /var/run/docker.pid dockerd; then
    # a live dockerd that does not answer yet (starting up): give it time
    for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
    docker version >/dev/null 2>&1 || { echo "setup-engine: dockerd $(cat /var/run/docker.pid) runs but does not answer" >&2; exit 1; }
  fi
  clear_stale_pidfile /var/run/docker/containerd/containerd.pid containerd || true
fi

if ! docker version >/dev/null 2>&1; then
  # No systemd here: run dockerd by hand in the background; it outlives this script on purpose.
  start_dockerd() {
    nohup setsid dockerd --storage-driver="$1" > "$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
    echo $! > "$LOG_DIR/dockerd.pid"
    for _ in $(seq 1 60); do
      docker version >/dev/null 2>&1 && return 0
      kill -0 "$(cat "$LOG_DIR/dockerd.pid")" 2>/dev/null || return 1
      sleep 0.5
    done
    return 1
  }
  if ! start_dockerd "$STORAGE_DRIVER"; then
    echo "setup-engine: dockerd with $STORAGE_DRIVER failed:"; tail -5 "$LOG_DIR/dockerd.log"
    # vfs only when the storage driver is the problem: a vfs engine has its own (empty) image store
    [ "$STORAGE_DRIVER" != vfs ] && grep -qiE 'error initializing graphdriver|driver not supported' "$LOG_DIR/dockerd.log" || exit 1
    kill "$(cat "$LOG_DIR/dockerd.pid")" 2>/dev/null || true; sleep 1
    start_dockerd vfs || { tail -20 "$LOG_DIR/dockerd.log"; exit 1; }
  fi
  echo "setup-engine: dockerd $(docker info -f '{{.ServerVersion}} {{.Driver}}') up" \
       "(pid $(cat "$LOG_DIR/dockerd.pid"), log $LOG_DIR/dockerd.log) at $((SECONDS-t0))s"
fi

[ "${SKIP_IMAGES:-0}" = 1 ] || "$HERE/build-images.sh"
echo "setup-engine: ready in $((SECONDS-t0))s"

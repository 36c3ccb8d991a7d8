#!/usr/bin/env bash
# Builds the compose profiles' images on local/debian:bookworm from the Debian mirror (no Docker Hub needed):
#   local/prometheus:2.42  Debian's prometheus, for the `observe` profile
#   local/nginx:1.22       Debian's nginx-light, for the `cluster` profile
# Skips an image that carries its Dockerfile's hash (label claimstracker.recipe). Needs the base image
# (ops/docker/build-images.sh, which ops/docker/setup-engine.sh runs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_TAG="${BASE_TAG:-local/debian:bookworm}"
export DOCKER_BUILDKIT=0   # classic builder: no buildx plugin on Debian's docker.io

build() {  # TAG DOCKERFILE
  local recipe t0=$SECONDS
  recipe="$(cat "$HERE/$2" | sha256sum | cut -c1-16)"
  if [ "$(docker image inspect -f '{{index .Config.Labels "claimstracker.recipe"}}' "$1" 2>/dev/null)" = "$recipe" ]; then
    echo "build-service-images: $1 up to date (recipe $recipe)"; return
  fi
  # the Dockerfile alone as the context: it copies nothing in
  docker build -q --build-arg "BASE_IMAGE=$BASE_TAG" --label "claimstracker.recipe=$recipe" -t "$1" - < "$HERE/$2" \
    2>&1 > /dev/null | { grep -v -e DEPRECATED -e 'legacy builder' -e BuildKit -e '^ *$' -e 'environment-variable' >&2 || true; }
  echo "build-service-images: $1 built in $((SECONDS - t0))s ($(docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1e6}'))"
}

build local/prometheus:2.42 prometheus.Dockerfile
build local/nginx:1.22 nginx.Dockerfile
docker image prune -f --filter label=claimstracker.recipe > /dev/null   # earlier recipes, now untagged

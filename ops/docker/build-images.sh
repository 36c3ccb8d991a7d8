#!/usr/bin/env bash
# Builds two images from the Debian mirror alone (no Docker Hub needed):
#   local/debian:bookworm  debootstrap minbase + libssl3: base for the self-contained .NET app
#   local/postgres:15      same + postgresql-15 and an entrypoint mimicking the official postgres image
# Skips when both images carry the current recipe hash (label claimstracker.recipe).
# The rootfs work dir lives outside the repo so nothing lands in the tree.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${CLAIMS_IMAGE_WORK:-/var/tmp/claimstracker-images}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
BASE_TAG="${BASE_TAG:-local/debian:bookworm}"
PG_TAG="${PG_TAG:-local/postgres:15}"
export DOCKER_BUILDKIT=0   # classic builder: no buildx plugin on Debian's docker.io
RECIPE="$(cat "$HERE/build-images.sh" "$HERE/postgres-entrypoint.sh" | sha256sum | cut -c1-16)"

current() { [ "$(docker image inspect -f '{{index .Config.Labels "claimstracker.recipe"}}' "$1" 2>/dev/null)" = "$RECIPE" ]; }
if current "$BASE_TAG" && current "$PG_TAG"; then
  echo "build-images: $BASE_TAG and $PG_TAG up to date (recipe $RECIPE)"; exit 0
fi

t0=$SECONDS
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
B="$WORK/base"; P="$WORK/pg"
in_chroot() { chroot "$1" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "${@:2}"; }

echo "build-images: debootstrap minbase bookworm from $MIRROR (log $WORK/debootstrap.log)"
debootstrap --variant=minbase --include=libssl3 bookworm "$B" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log"; exit 1; }
echo "build-images: debootstrap done at $((SECONDS-t0))s"

cp -a "$B" "$P"
printf '#!/bin/sh\nexit 101\n' > "$P/usr/sbin/policy-rc.d"; chmod +x "$P/usr/sbin/policy-rc.d"  # start no services
mkdir -p "$P/etc/postgresql-common/createcluster.d"
echo 'create_main_cluster = false' > "$P/etc/postgresql-common/createcluster.d/no-main.conf"  # the entrypoint runs initdb
in_chroot "$P" apt-get install -y -qq --no-install-recommends postgresql-15 > "$WORK/pg-install.log" 2>&1 \
  || { tail -20 "$WORK/pg-install.log"; exit 1; }
echo "build-images: postgresql-15 installed at $((SECONDS-t0))s"

trim() {  # docs, apt caches, translations: nothing the containers run needs
  rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* \
         "$1"/usr/share/info/* "$1"/usr/share/locale/* "$1"/usr/share/common-licenses "$1"/usr/share/lintian \
         "$1"/usr/share/bash-completion "$1"/var/cache/debconf/*-old "$1"/var/log/*.log
}
trim "$B"; trim "$P"
# postgres image: drop JIT (LLVM ~105 MB + z3) and perl (only postgresql-common's wrappers use it)
rm -rf "$P"/usr/sbin/policy-rc.d "$P"/usr/lib/postgresql/15/lib/llvmjit* "$P"/usr/lib/postgresql/15/lib/bitcode \
       "$P"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$P"/usr/lib/x86_64-linux-gnu/libz3.so* \
       "$P"/usr/share/perl "$P"/usr/lib/x86_64-linux-gnu/perl "$P"/usr/lib/x86_64-linux-gnu/libperl.so* "$P"/usr/share/i18n
# like the official image: listen on all interfaces
sed -ri "s/^#?(listen_addresses)\s*=\s*\S+.*/\1 = '*'/" "$P/usr/share/postgresql/15/postgresql.conf.sample"
install -m 755 "$HERE/postgres-entrypoint.sh" "$P/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$P/docker-entrypoint-initdb.d" "$P/var/lib/postgresql/data"
in_chroot "$P" chown -R postgres:postgres /var/lib/postgresql
chmod 700 "$P/var/lib/postgresql/data"

tar -C "$B" -c . | docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["bash"]' \
  -c "LABEL claimstracker.recipe=$RECIPE" - "$BASE_TAG" > /dev/null
tar -C "$P" -c . | docker import \
  -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV PGDATA=/var/lib/postgresql/data' -c 'ENV LANG=C.UTF-8' \
  -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["postgres"]' -c 'EXPOSE 5432' \
  - "$PG_TAG-import" > /dev/null
# docker import (20.10) cannot set STOPSIGNAL; a metadata-only build adds it without a new layer
printf 'FROM %s\nSTOPSIGNAL SIGINT\nLABEL claimstracker.recipe=%s\n' "$PG_TAG-import" "$RECIPE" \
  | docker build -q -t "$PG_TAG" - > "$WORK/stopsignal.log" 2>&1 || { cat "$WORK/stopsignal.log"; exit 1; }
docker rmi "$PG_TAG-import" > /dev/null
docker image prune -f --filter label=claimstracker.recipe > /dev/null   # the previous recipe's images, now untagged
[ "${KEEP_ROOTFS:-0}" = 1 ] || rm -rf "$WORK"
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^($BASE_TAG|$PG_TAG) "
echo "build-images: done in $((SECONDS-t0))s"

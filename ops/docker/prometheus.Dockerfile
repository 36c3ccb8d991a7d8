# Prometheus from Debian's package (2.42), for the compose profile `observe` where Docker Hub cannot be reached
# (ops/docker/build-service-images.sh builds it on local/debian:bookworm). Its entrypoint and paths match the official
# prom/prometheus image, so docker-compose.yml runs either. The classic web UI loads one of moment-timezone's 214 MB
# of files; the rest goes.
ARG BASE_IMAGE=local/debian:bookworm
FROM ${BASE_IMAGE}
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/sbin/policy-rc.d \
 && find /usr/share/javascript/moment-timezone -mindepth 1 ! -name moment-timezone-with-data.min.js -exec rm -rf {} + \
 && mkdir -p /prometheus && chown prometheus:prometheus /prometheus
USER prometheus
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]

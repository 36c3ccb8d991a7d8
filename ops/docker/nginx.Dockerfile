# nginx from Debian's nginx-light (1.22), for the compose profile `cluster` where Docker Hub cannot be reached
# (ops/docker/build-service-images.sh builds it on local/debian:bookworm). Like the official image: the config at
# /etc/nginx/nginx.conf, logs to the container's output, nginx in the foreground.
ARG BASE_IMAGE=local/debian:bookworm
FROM ${BASE_IMAGE}
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light > /dev/null \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/sbin/policy-rc.d \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]

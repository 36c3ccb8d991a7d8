# ClaimsTracker from a self-contained publish folder (ops/compose makes it:
#   dotnet publish src/ClaimsTracker -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o artifacts/publish).
# BASE_IMAGE: the official runtime-deps image by default; ops/compose passes local/debian:bookworm
# (debootstrap + libssl3) where Docker Hub cannot be reached.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${BASE_IMAGE}
WORKDIR /app
COPY artifacts/publish/ /app/
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
EXPOSE 8080
LABEL claimstracker.app=1
# unprivileged: the uid of the official images' "app" user (numeric, so it works on any base)
USER 1654
ENTRYPOINT ["/app/ClaimsTracker"]

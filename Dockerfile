# syntax=docker/dockerfile:1
# One image recipe for every NasSav host; PROJECT selects which one:
#   docker build --build-arg PROJECT=services/catalog/NasSav.Catalog.Host -t nassav/catalog .
#   (gateway/NasSav.Gateway.Host, services/{scraper,translator,downloader,maintenance}/NasSav.*.Host,
#    tools/NasSav.Standalone for the one-process install)
# docker-compose.yml builds all of them from here.

ARG PROJECT=services/catalog/NasSav.Catalog.Host

# ---- build ------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
# The whole source (see .dockerignore); NuGet packages stay in a BuildKit cache across builds.
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore "$PROJECT"
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish "$PROJECT" -c Release -o /app --no-restore -p:UseAppHost=false \
 && basename "$PROJECT" > /app/nassav-entry

# ---- run --------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# ffmpeg: thumbnails (catalog) and remux (downloader); postgresql-client: pg_dump/pg_restore for
# maintenance's backups (a newer pg_dump dumps an older server); curl: the container health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Data__Root=/data \
    DOTNET_gcServer=0
# The shared data folder (covers, thumbnails, videos, avatars, backups), writable by the image's
# non-root `app` user; a named volume mounted here takes this ownership on first use.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready >/dev/null || exit 1
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/$(cat /app/nassav-entry).dll\" \"$@\"", "--"]

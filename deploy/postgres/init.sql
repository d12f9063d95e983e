-- Run once by the postgres image on an empty data volume (docker-compose.yml mounts it into
-- /docker-entrypoint-initdb.d/, run against $POSTGRES_DB). The catalog creates and migrates its own
-- tables at start; this only sets database-wide defaults: timestamps in UTC.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
END
$$;

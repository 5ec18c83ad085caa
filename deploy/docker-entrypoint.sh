#!/bin/sh
# The container's entrypoint: files the bot creates under /app/data (the SQLite database, its
# -wal/-shm, data/secret.key, backups) are readable by their owner only, then Node replaces this
# shell (exec), so it is PID 1 and receives SIGTERM itself.
umask 077
exec "$@"

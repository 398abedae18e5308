#!/bin/sh
# Dump the PostgreSQL database (custom format, for pg_restore) and keep 30 days of dumps.
# Run by ganbu-backup.service; reads DATABASE_URL from /etc/ganbu/ganbu.env.
set -eu
dir="${BACKUP_DIR:-/var/backups/ganbu}"
mkdir -p "$dir"
# pg_dump takes a libpq URL: drop SQLAlchemy's "+psycopg" driver suffix.
url="$(printf '%s' "$DATABASE_URL" | sed 's/+psycopg//')"
file="$dir/ganbu-$(date +%Y%m%d-%H%M).dump"
pg_dump --format=custom --file="$file.part" "$url"
mv "$file.part" "$file"
find "$dir" -name 'ganbu-*.dump' -mtime +30 -delete

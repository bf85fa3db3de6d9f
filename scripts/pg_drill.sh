#!/usr/bin/env bash
# PostgreSQL backup and restore drill.
#
# Proves that a pg_dump of the site's database restores into an identical,
# working database. On scratch databases of the server at 127.0.0.1 (user
# postgres), it:
#
#   1. creates a database, migrates it and seeds the demo course;
#   2. dumps it with pg_dump -Fc (the custom format: compressed, restorable
#      table by table, and the one to use for real backups);
#   3. restores the dump into a second, fresh database with pg_restore;
#   4. compares the two: the list of tables, every table's row count and a
#      checksum of its rows, and every sequence's position;
#   5. runs `manage.py check` and `migrate --check` against the restored one;
#   6. computes every demo student's current and projected grade in both and
#      compares a checksum of them;
#
# and drops both databases at the end, whatever happened. It exits non-zero on
# any difference.
#
# The same steps back up and restore the real site:
#
#   pg_dump -Fc -h HOST -U USER -d coursesite -f coursesite-$(date +%F).dump
#   createdb -h HOST -U USER coursesite_restored
#   pg_restore --no-owner --exit-on-error -h HOST -U USER -d coursesite_restored \
#       coursesite-YYYY-MM-DD.dump
#   DATABASE_URL=postgres://USER@HOST/coursesite_restored python manage.py migrate --check
#
# A database dump does not hold uploaded files: copy MEDIA_ROOT alongside it,
# or archive single courses with `manage.py export_course SLUG` (rows and files
# in one file, restored with `manage.py import_course FILE`).
#
# Usage: scripts/pg_drill.sh
#   PYTHON   the project's Python (default .venv/bin/python)
#   PG_BIN   where pg_dump, pg_restore and psql are (default: those of the
#            server's major version under /usr/lib/postgresql, else PATH)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
SOURCE="coursesite_drill_source_$$"
RESTORED="coursesite_drill_restored_$$"
WORK=$(mktemp -d)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'DRILL FAILED: %s\n' "$*" >&2; exit 1; }

sql() { # sql DATABASE QUERY: one query, unaligned, no headers
  "$PSQL" -X -q -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"
}

cleanup() {
  status=$?
  for db in "$SOURCE" "$RESTORED"; do
    "$PSQL" -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "Could not drop the scratch database $db; drop it by hand." >&2
  done
  rm -rf "$WORK"
  exit "$status"
}

PSQL=$(command -v psql || true)
[ -n "$PSQL" ] || PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n1)
[ -x "$PSQL" ] || fail "psql not found; install the PostgreSQL client."
major=$("$PSQL" -X -At -d postgres -c "SHOW server_version_num") || fail "no server at $PGHOST:$PGPORT"
major=$((major / 10000))
# pg_dump must be at least as new as the server: prefer the server's own tools.
if [ -z "${PG_BIN:-}" ]; then
  if [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ]; then
    PG_BIN="/usr/lib/postgresql/$major/bin"
  else
    PG_BIN=$(dirname "$(command -v pg_dump)")
  fi
fi
PSQL="$PG_BIN/psql"
trap cleanup EXIT

manage() { # manage DATABASE ARGS...: manage.py against one scratch database
  local db=$1
  shift
  DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" DEBUG=1 MEDIA_ROOT="$WORK/media" \
    "$PYTHON" manage.py "$@"
}

# Each table's row count and an MD5 of its rows (as text, sorted), one line per
# table; a table missing from a database makes the query fail.
table_report() {
  local db=$1 query="" table
  for table in $(sql "$SOURCE" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    query+="${query:+ UNION ALL }SELECT '$table', count(*),"
    query+=" md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM public.\"$table\" t"
  done
  sql "$db" "SELECT * FROM ($query) AS report ORDER BY 1"
}

# The demo course's gradebook at a fixed moment: students, and a SHA-256 of every
# student's current and projected percentage and letter.
GRADES_PY='
import datetime as dt, hashlib
from coursesite.demo.course import COURSE_SLUG
from courses.models import Course
from grading.selectors.gradebook import gradebook
book = gradebook(course=Course.objects.get(slug=COURSE_SLUG), now=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
lines = [
    f"{r.student.username} {r.current.percentage} {r.current.letter} "
    f"{r.projected.percentage} {r.projected.letter}"
    for r in book.students
]
assert lines and any(r.current.percentage is not None for r in book.students), "no grades"
print(len(lines), "students, grades sha256", hashlib.sha256("\n".join(lines).encode()).hexdigest())
'

step "Tools: $PG_BIN ($("$PG_BIN/pg_dump" --version)), server major version $major"

step "Scratch database $SOURCE: migrate and seed the demo course"
sql postgres "CREATE DATABASE \"$SOURCE\"" >/dev/null
manage "$SOURCE" migrate --no-input -v 0
manage "$SOURCE" seed_demo | sed -n 1,4p

step "pg_dump -Fc"
"$PG_BIN/pg_dump" -Fc -d "$SOURCE" -f "$WORK/coursesite.dump"
echo "$(du -h "$WORK/coursesite.dump" | cut -f1) dump, $("$PG_BIN/pg_restore" -l "$WORK/coursesite.dump" | grep -c '^[0-9]') entries"

step "pg_restore into a fresh database $RESTORED"
sql postgres "CREATE DATABASE \"$RESTORED\"" >/dev/null
"$PG_BIN/pg_restore" --no-owner --exit-on-error -d "$RESTORED" "$WORK/coursesite.dump"

step "Compare every table's rows and every sequence"
table_report "$SOURCE" >"$WORK/source.tables"
table_report "$RESTORED" >"$WORK/restored.tables"
listing="SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
diff -u <(sql "$SOURCE" "$listing") <(sql "$RESTORED" "$listing") || fail "the tables differ"
diff -u "$WORK/source.tables" "$WORK/restored.tables" || fail "table contents differ"
sequences="SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
diff -u <(sql "$SOURCE" "$sequences") <(sql "$RESTORED" "$sequences") || fail "sequences differ"
tables=$(wc -l <"$WORK/source.tables")
rows=$(awk -F'|' '{ n += $2 } END { print n }' "$WORK/source.tables")
[ "$rows" -gt 0 ] || fail "the seeded database is empty"
grep -q '^courses_course|1|' "$WORK/restored.tables" || fail "the demo course is not in the restored database"
echo "$tables tables, $rows rows, identical (counts and row checksums); sequences identical"

step "manage.py check and migrate --check on the restored database"
manage "$RESTORED" check
manage "$RESTORED" migrate --check

step "The demo course's grades, computed from each database"
source_grades=$(manage "$SOURCE" shell --no-imports -v 0 -c "$GRADES_PY" | tail -n1)
restored_grades=$(manage "$RESTORED" shell --no-imports -v 0 -c "$GRADES_PY" | tail -n1)
echo "source:   $source_grades"
echo "restored: $restored_grades"
[ "$source_grades" = "$restored_grades" ] || fail "the grades differ"

step "Drill passed: the dump restores to an identical database with the same grades"

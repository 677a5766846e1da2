#!/bin/sh
# The example review, run end to end with what winnow can do so far.
# `make demo` runs this against a fresh review in build/demo/. It grows as
# winnow does: each capability that lands adds its step here.
#
#   corpus/social-prescribing/demo.sh [path/to/winnow]
set -eu
here=$(dirname "$0")
winnow=${1:-winnow}
case $winnow in */*) winnow=$(cd "$(dirname "$winnow")" && pwd)/$(basename "$winnow") ;; esac
out=${DEMO_DIR:-build/demo}
mkdir -p "$out"
export WINNOW_DB="$out/social-prescribing.db"
rm -f "$WINNOW_DB" "$WINNOW_DB-wal" "$WINNOW_DB-shm"

step() { printf '\n$ winnow %s\n' "$(echo "$*" | cut -d' ' -f2-)"; "$@"; }

echo "winnow demo: a qualitative evidence synthesis of social prescribing for loneliness"
echo "review file: $WINNOW_DB"

step "$winnow" protocol check "$here/protocol.ini"
step "$winnow" init --protocol "$here/protocol.ini"
step "$winnow" protocol list
step "$winnow" status

echo
echo "Exports waiting in $here/records/ for 'winnow import' (next to land):"
for f in "$here"/records/*.ris "$here"/records/*.nbib "$here"/records/*.bib; do
    echo "  $(basename "$f")"
done
echo
echo "demo: done; inspect the review with: WINNOW_DB=$WINNOW_DB ./winnow status"

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

step "$winnow" import "$here"/records/medline-ovid.ris "$here"/records/scopus.ris \
    "$here"/records/pubmed.nbib
step "$winnow" import --source grey-literature "$here"/records/grey-literature.bib
step "$winnow" dedupe
step "$winnow" dedupe pairs --status related
step "$winnow" rules test "$here/rules.txt"
step "$winnow" rules apply "$here/rules.txt"
# two reviewers' screening decisions (and a third's resolutions), as a
# team that screened elsewhere would bring them in; on a terminal,
# 'winnow screen --reviewer alice' is where they would be made
step "$winnow" decisions import "$here/decisions.csv"
step "$winnow" agreement --stage title-abstract
step "$winnow" conflicts --stage full-text
step "$winnow" fulltext doi:10.5555/nshire.thesis.2020.0417 --not-retrieved \
    --reason "thesis under embargo until 2023"
step "$winnow" why 2
step "$winnow" status
step "$winnow" prisma
echo
echo "The first record, as JSON (winnow export --format json):"
"$winnow" export --format json | sed -n '/^{/,/^}/p' | head -40
echo
echo "demo: done; inspect the review with: WINNOW_DB=$WINNOW_DB ./winnow status"

# Full-text retrieval for PRISMA's reports sought and not retrieved: only
# for a report that reached the last stage; a file given is hashed and its
# path kept; a later entry supersedes the earlier; refusals change nothing.
. "$WINNOW_ROOT/tests/scenario/lib.sh"

review_with_examples r.db
TA="--stage title-abstract"
for who in alice bob; do
    run decide --db r.db 1 include $TA --reviewer $who
    expect_exit 0
done
before=$(checksum r.db)
run fulltext --db r.db 2 --not-retrieved --reason "no library access"
expect_exit 1
expect_err '^winnow: report 2 has not reached stage full-text: at title-abstract it is pending$'
expect_same "review after a refusal" "$(checksum r.db)" "$before"

run fulltext --db r.db 1 --not-retrieved --reason "author did not reply"
expect_exit 0
expect_out '^Report 1: full text not retrieved \(author did not reply\)$'
printf '%%PDF-1.4 the paper\n' >paper.pdf
run fulltext --db r.db 1 --retrieved paper.pdf
expect_exit 0
expect_out "^Report 1: full text retrieved \\(paper.pdf, sha256 $(checksum paper.pdf | cut -c1-12)\\), replacing entry 1$"
expect_same "the entries" \
    "$(sql r.db "SELECT group_concat(status || '/' || coalesce(sha256, '-') || '/' || coalesce(supersedes, '-'), ' ') FROM fulltext")" \
    "not_retrieved/-/- retrieved/$(checksum paper.pdf)/1"

before=$(checksum r.db)
run fulltext --db r.db 1 --retrieved missing.pdf
expect_exit 1
expect_err 'missing.pdf'
run fulltext --db r.db 1
expect_exit 2
expect_err 'say --retrieved or --not-retrieved'
run fulltext --db r.db 1 --retrieved --reason "x"
expect_exit 2
expect_err '--reason goes with --not-retrieved'
run fulltext --db r.db 1 --retrieved --not-retrieved
expect_exit 2
expect_same "review after refusals" "$(checksum r.db)" "$before"

. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on every problem in a protocol being reported in one go, each
# with its own line, so the file can be fixed in one pass.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
languages = english

[reveiw]
type = x

[stage title-abstract]
reviwers = 2
reviewers = two
blind = perhaps

[database medline]
name = MEDLINE
searched = 2021-13-01
via = web
this line has no equals sign
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:4: 'languages' "
expect_err "^winnow: bad.ini:6: unknown section \[reveiw\]"
expect_err "^winnow: bad.ini:10: unknown key 'reviwers'"
expect_err "^winnow: bad.ini:11: 'reviewers' must be"
expect_err "^winnow: bad.ini:12: 'blind' .*'perhaps'"
expect_err "^winnow: bad.ini:16: 'searched' must be"
expect_err "^winnow: bad.ini:17: 'via' must be"
expect_err "^winnow: bad.ini:18: expected 'key = value'"
expect_err_lines 8
n=$(grep -c '^winnow: bad.ini:[0-9]*: ' .err)
expect_same "FILE:LINE lines" "$n" 8

run init --db r.db --protocol "$EXAMPLE/protocol.ini"
expect_exit 0
before=$(checksum r.db)
run protocol load --db r.db bad.ini
expect_exit 1
expect_err_lines 8
expect_same "checksum" "$(checksum r.db)" "$before"

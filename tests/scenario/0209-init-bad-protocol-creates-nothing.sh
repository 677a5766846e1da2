. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on 'init --protocol' with a faulty protocol reporting each
# problem as FILE:LINE and creating no review file at all.
cat >bad.ini <<'INI'
[review]
title = A review

[stage Title-Abstract]
reviewers = 2
INI
run init --db r.db --protocol bad.ini
expect_exit 1
expect_err "^winnow: bad.ini:4: .*\[stage Title-Abstract\]"
expect_err "^winnow: bad.ini:1: \[review\] needs 'question'"
expect_err_lines 2
expect_not_out 'Created review'
[ ! -e r.db ] || fail "r.db was created"
ls -A | grep -q '^r\.db' && fail "left files behind: $(ls -A)"
exit 0

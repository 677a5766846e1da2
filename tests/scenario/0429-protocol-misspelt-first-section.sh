. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a misspelt first section ([reveiw]) being reported as that
# one problem, with a suggestion, and not as keys "outside any section": they
# are inside the misspelt section, and fixing its name fixes the file.
cat >bad.ini <<'INI'
[reveiw]
title = T
question = Q?
INI
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err "^winnow: bad.ini:1: unknown section \[reveiw\] \(did you mean \[review\]\?\)$"
if grep -q 'outside any section' .err; then
    fail "keys inside [reveiw] reported as outside any section"
fi
# Fixing the name is all it takes.
sed 's/reveiw/review/' bad.ini >good.ini
run protocol check good.ini
expect_exit 0

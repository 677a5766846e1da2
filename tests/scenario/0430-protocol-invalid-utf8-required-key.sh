. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a required key written in a legacy encoding being reported
# once, at its line, as not UTF-8 (not also as if the key were missing).
printf '[review]\ntitle = Caf\351 culture\nquestion = Q?\n' >bad.ini
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err '^winnow: bad.ini:2: .*not valid UTF-8'
expect_err_lines 1

. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a protocol saved in a legacy encoding (a Latin-1 byte, not
# UTF-8) being reported at the offending line, and refused.
{
    printf '[review]\n'
    printf 'title = T\n'
    printf 'question = Q?\n'
    printf 'authors = Jos\351 Garc\355a\n'     # Latin-1, not UTF-8
    printf 'type = qualitative\n'
} >bad.ini
run protocol check bad.ini
expect_exit 1
[ ! -s .out ] || fail "stdout is not empty"
expect_err '^winnow: bad.ini:4: .*not valid UTF-8'
expect_err_lines 1

# A lone 0xff byte, as the brief example, at the end of a line.
printf '[review]\ntitle = T\nquestion = Q?\nnotes = x\377\n' >ff.ini
run protocol check ff.ini
expect_exit 1
expect_err '^winnow: ff.ini:4: .*not valid UTF-8'
expect_err_lines 1

expect_load_refused bad.ini '^winnow: bad.ini:4: .*not valid UTF-8'

. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a [review] without its required question being reported
# at the section's line, naming the missing key.
cat >bad.ini <<'INI'
# no question yet
[review]
title = T
type = qualitative evidence synthesis
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:2: \\[review\\] needs 'question'$"

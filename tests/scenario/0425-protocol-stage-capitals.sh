. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a stage name with capitals being reported at its line,
# saying which characters a stage name may use.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?

[stage Full-Text]
reviewers = 2
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:5: the name in \\[stage Full-Text\\] must be lower-case letters, digits"

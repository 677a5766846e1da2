. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a protocol with no [review] section being refused, saying
# what [review] must hold.
cat >bad.ini <<'INI'
[eligibility]
population = Adults

[stage title-abstract]
reviewers = 2
INI
expect_protocol_refused bad.ini "^winnow: bad.ini: has no \\[review\\] section"

. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on rules pointed at a stage the protocol does not define being
# reported at the 'stage' line, naming the stage.
cp "$EXAMPLE/rules.txt" rules.txt
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
[stage title-abstract]
reviewers = 2

[rules]
file = rules.txt
stage = screening
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:9: rules apply at stage 'screening', which the protocol does not define"

. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on review languages written as words instead of ISO 639 codes
# being reported with the line and the value, and the protocol refused.
cat >bad.ini <<'INI'
[review]
title = T
question = Q?
languages = english
INI
expect_protocol_refused bad.ini "^winnow: bad.ini:4: 'languages' must be ISO 639 language codes.*'english'"

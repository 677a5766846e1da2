. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on a protocol saved with a UTF-8 byte-order mark (as some
# Windows editors do) being accepted, and kept verbatim: 'protocol show' gives
# back the very bytes, and the SHA-256 on record is the file's own, so
# 'sha256sum' on the file matches 'protocol list'.
printf '\357\273\277[review]\r\ntitle = T\r\nquestion = Q?\r\n' >bom.ini
run protocol check bom.ini
expect_exit 0
expect_out "^bom.ini: ok \(sha256 $(checksum bom.ini | cut -c1-12)\)"
run init --db r.db --protocol bom.ini
expect_exit 0
run protocol show --db r.db
expect_exit 0
stdout | cmp - bom.ini || fail "protocol show is not the file as loaded"
expect_same "sha256 on record" "$(sql r.db 'SELECT sha256 FROM protocol')" "$(checksum bom.ini)"

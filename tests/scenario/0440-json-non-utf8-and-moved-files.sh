. "$WINNOW_ROOT/tests/scenario/lib.sh"
# A user relies on JSON output being complete and valid however the review
# or protocol file is named (a Latin-1 name is shown as Latin-1 text, never
# dropped), and on 'protocol show --format json' showing the stored protocol
# whole, wherever it is run from and even after a file it names has moved.
db="r$(printf '\351').db"
ini="caf$(printf '\351').ini"
printf '[review]\ntitle = Caf\303\251\nquestion = Q?\n[rules]\nfile = rules.txt\n' >"$ini"
: >rules.txt
run init --db "$db" --protocol "$ini"
expect_exit 0
check_json() { # python expression over d
    stdout | python3 -c "import json,sys; d=json.load(sys.stdin); assert $1, d" ||
        fail "JSON check failed: $1"
}
run status --db "$db" --format json
expect_exit 0
check_json 'd["review"] == "r\u00e9.db" and d["protocol"]["title"] == "Caf\u00e9"'
run protocol list --db "$db" --format json
expect_exit 0
check_json 'd[0]["path"] == "caf\u00e9.ini"'
rm rules.txt
mkdir elsewhere
cd elsewhere
run protocol show --db "../$db" --format json
expect_exit 0
check_json '[s for s in d["sections"] if s["section"] == "rules"][0]["values"]["file"] == "rules.txt"'

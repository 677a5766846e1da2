# Progress: a bar redrawn in place on a terminal (records of total, rate,
# time left), plain lines when stderr is a file, nothing with --quiet.
. "$WINNOW_ROOT/tests/scenario/lib.sh"
. "$WINNOW_ROOT/tests/scenario/mock.sh"
mock_start
mock_config '{"pubmed":{"queries":{"sp":{"count":1200,"from":"2005/01/01","to":"2024/12/31"}}}}'
run init --db r.db
# a real terminal: stderr on a pseudo-terminal
python3 - "$WINNOW" r.db >tty.txt <<'PY' || fail "no run on a terminal"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], "--db", sys.argv[2], "search", "pubmed", "sp"],
                     stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.exit(p.wait() or sys.stdout.write(out.decode(errors="replace")) and 0)
PY
grep -q "$(printf '\r')pubmed \[" tty.txt || fail "no bar on the terminal: $(cat -v tty.txt | head -3)"
grep -q '1200/1200 records, [0-9]*/s, .* left' tty.txt || fail "the bar lacks count, rate or time left: $(cat -v tty.txt | tail -c 300)"
# a file: plain lines, one per batch
run search pubmed --db r.db sp
expect_exit 0
expect_same "plain lines" "$(grep -c '^winnow: pubmed: [0-9]* of 1200 records' "$CASE_TMP/.err")" 3
run search pubmed --db r.db --quiet sp
expect_exit 0
expect_no_err

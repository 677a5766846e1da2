. "$WINNOW_ROOT/tests/scenario/lib.sh"
# The PRISMA flow diagram: SVG that is well-formed XML, laid out like the
# template (both arms, the previous-version boxes of an updated review),
# with every number of the flow in it, every line of text inside its box
# (measured in DejaVu Sans, the font it names first) however long a reason
# is, and rendered to a PNG by rsvg-convert; DOT for Graphviz.
DEMO_DIR="$CASE_TMP/demo" sh "$EXAMPLE/demo.sh" "$WINNOW" >demo.out 2>&1 || fail "the demo failed: $(tail -5 demo.out)"
db="$CASE_TMP/demo/social-prescribing.db"
# a reason far wider than its box, one unbreakable word in it
sed 's/^reason = Not a primary study$/reason = Not a primary study\
reason = Pseudopseudohypoparathyroidism-adjacent-endocrinological-misclassification of the whole study population (see appendix)/' \
    "$EXAMPLE/protocol.ini" >protocol.ini
cp "$EXAMPLE/rules.txt" .
run protocol load --db "$db" protocol.ini
expect_exit 0
for who in alice bob; do
    run decide --db "$db" pmid:90000007 exclude --stage full-text --reviewer $who \
        --reason "Pseudopseudohypoparathyroidism-adjacent-endocrinological-misclassification of the whole study population (see appendix)"
    expect_exit 0
done

run prisma --db "$db" --format json
expect_exit 0
stdout >flow.json
for args in "" "--previous-studies 8 --previous-reports 11"; do
    run prisma --db "$db" --format svg -o flow.svg $args
    expect_exit 0
    python3 - flow.svg flow.json "$args" <<'PY' || fail "the SVG is wrong ($args)"
import json, re, sys
import xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
flow = json.load(open(sys.argv[2]))
updated = bool(sys.argv[3])
text = ' '.join(t.text or '' for t in root.iter('{http://www.w3.org/2000/svg}text')).replace('\xa0', ' ')
joined = re.sub(r'\s+', ' ', text)
def has(label, n):
    assert re.search(re.escape(label) + r'.{0,80}?\(n = ' + str(n) + r'\)', joined), (label, n)
has('Databases', flow['database_results'])
for name, n in flow['database_specific_results'].items():
    has(name, n)
has('Duplicate records', flow['duplicates'])
has('automation tools', flow['excluded_automatic'])
has('Records removed for other reasons', flow['excluded_other'])
has('Records screened', flow['records_screened'])
has('Records excluded', flow['records_excluded'])
has('Reports sought for retrieval', flow['dbr_sought_reports'])
has('Reports not retrieved', flow['dbr_notretrieved_reports'])
has('Reports assessed for eligibility', flow['dbr_assessed'])
for reason, n in flow['dbr_excluded'].items():
    has(reason.split()[-1], n)
has('Websites', flow['website_results'])
has('Reports sought for retrieval', flow['other_sought_reports'])
has('studies included in review' if updated else 'Studies included in review', flow['new_studies'])
ids = {g.get('id') for g in root.iter('{http://www.w3.org/2000/svg}g')}
for box in ('identified', 'removed', 'screened', 'excluded', 'sought', 'not_retrieved', 'assessed',
            'reports_excluded', 'included', 'other_identified', 'other_sought', 'other_assessed',
            'band_identification', 'band_screening', 'band_included'):
    assert box in ids, box
assert ('previous' in ids and 'total' in ids) == updated, ids
if updated:
    has('Studies included in previous version of review', 8)
    has('Total studies included in review', flow['new_studies'] + 8)
    has('Reports of total included studies', flow['new_reports'] + 11)
PY
done

# nothing clipped: each line measured in DejaVu Sans fits inside its box
pil=
for py in /usr/bin/python3 python3; do
    $py -c 'import PIL' 2>/dev/null && { pil=$py; break; }
done
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ -n "$pil" ] && [ -f "$font" ]; then
    $pil - flow.svg "$font" <<'PY' || fail "text overflows its box"
import sys
import xml.etree.ElementTree as ET
from PIL import ImageFont
S = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
size = float(root.get('font-size'))
regular = ImageFont.truetype(sys.argv[2], 200)
bold = ImageFont.truetype(sys.argv[2].replace('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'), 200)
W, H = float(root.get('width')), float(root.get('height'))
checked = 0
for g in root.iter(S + 'g'):
    rect = g.find(S + 'rect')
    x, y, w, h = (float(rect.get(k)) for k in ('x', 'y', 'width', 'height'))
    assert x >= 0 and y >= 0 and x + w <= W and y + h <= H, ('box outside the drawing', g.get('id'))
    for t in g.findall(S + 'text'):
        if t.get('transform'):
            continue
        f = bold if t.get('font-weight') == 'bold' else regular
        width = f.getlength(t.text or '') * size / 200
        tx, ty = float(t.get('x')), float(t.get('y'))
        assert tx + width <= x + w - 2, (g.get('id'), t.text, tx + width, x + w)
        assert y + size - 4 <= ty <= y + h - 2, (g.get('id'), t.text, 'outside vertically')
        checked += 1
assert checked > 30, checked
PY
else
    echo "skip: PIL or DejaVu Sans absent, text widths not measured" >&2
fi

if command -v rsvg-convert >/dev/null; then
    rsvg-convert flow.svg -o flow.png || fail "rsvg-convert cannot render the SVG"
    python3 - flow.png flow.svg <<'PY' || fail "the PNG is not the diagram"
import struct, sys
import xml.etree.ElementTree as ET
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
w, h = struct.unpack('>II', data[16:24])
root = ET.parse(sys.argv[2]).getroot()
assert (w, h) == (round(float(root.get('width'))), round(float(root.get('height')))), (w, h)
assert len(data) > 20000, len(data)
PY
else
    echo "skip: rsvg-convert absent" >&2
fi

run prisma --db "$db" --format dot
expect_exit 0
expect_out '^digraph prisma \{$'
expect_out '^  identified -> screened;$'
expect_out '^  other_assessed -> included;$'
expect_out 'Records screened \(n.=.[0-9]+\)'
if command -v dot >/dev/null; then
    stdout | dot -Tsvg >/dev/null || fail "Graphviz cannot read the DOT"
fi

# two reports, each with its full text recorded, merged later: one report,
# counted once in every box (its latest full-text entry stands)
run fulltext --db "$db" pmid:90000001 --retrieved
expect_exit 0
run fulltext --db "$db" pmid:90000004 --retrieved
expect_exit 0
run dedupe --db "$db" merge "$(sql "$db" "SELECT id FROM record WHERE pmid = '90000001' ORDER BY id LIMIT 1")" \
    "$(sql "$db" "SELECT id FROM record WHERE pmid = '90000004' ORDER BY id LIMIT 1")" --reason "one study, two papers"
expect_exit 0
run prisma --db "$db" --format json
expect_exit 0
stdout | python3 -c "
import json, sys
d = json.load(sys.stdin)
assert d['dbr_sought_reports'] == $(sql "$db" "SELECT COUNT(*) FROM report_stage_outcome WHERE stage = 'full-text' AND eligible AND report_id IN (SELECT rr.report_id FROM report_record rr JOIN record r ON r.id = rr.record_id JOIN import_file f ON f.id = r.import_file_id WHERE f.via = 'database')"), d['dbr_sought_reports']
assert d['records_screened'] + d['duplicates'] + d['excluded_automatic'] + d['excluded_other'] == d['database_results'], d
" || fail "a merged report with two full-text entries is counted twice"

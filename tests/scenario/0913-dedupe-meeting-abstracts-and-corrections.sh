# Databases file one meeting abstract twice (under the meeting, with no
# volume or pages, and under the journal, on one page) and name one
# correction two ways (Embase's "Title (Journal (2009) 360 (542-544))", Web
# of Science's "Title (vol 360, pg 542, 2009)"). Each pair is one record;
# the full article and the erratum stay records of their own, linked as
# related reports, never merged (issue 5's never-merge cases).
. "$WINNOW_ROOT/tests/scenario/lib.sh"
T='A phase II study of eculizumab in patients with atypical hemolytic uremic syndrome receiving chronic plasma therapy'
A='Licht C; Muus P; Legendre C'
cat >m.csv <<CSV
ID,title,author,journal,volume,issue,pages,year,doi
meeting,$T,$A,Journal of Thrombosis and Haemostasis.Conference: 23rd Congress of the International Society on Thrombosis and Haemostasis,,,,2011,
journal,$T,$A,J Thromb Haemost,9,6,507-507,2011,
erratum,Erratum: $T,$A,Journal of Thrombosis and Haemostasis,9,11,2345,2011,
article,$T,$A,Journal of Thrombosis and Haemostasis,9,6,1201-1209,2011,10.1111/j.1538-7836.2011.04321.x
embase,Eculizumab for atypical hemolytic-uremic syndrome (New England Journal of Medicine (2009) 360 (542-544)),Philipp T,New England Journal of Medicine.,360,23,2487-2487,2009,
wos,"Eculizumab for Atypical Hemolytic-Uremic Syndrome (vol 360, pg 542, 2009)",Philipp T,New England Journal of Medicine,360,23,2487,2009,
nejm,Eculizumab for atypical hemolytic-uremic syndrome,Nurnberger J; Philipp T; Witzke O,New England Journal of Medicine,360,5,542-544,2009,
CSV
run init --db r.db
run import --db r.db --source test --format csv m.csv
expect_exit 0
run dedupe --db r.db
expect_exit 0
expect_out '2 merged as duplicates, 0 sent to review'
cluster_of() {
    sql r.db "SELECT coalesce(cm.cluster_id, 'none') FROM record r LEFT JOIN cluster_member cm
              ON cm.record_id = r.id WHERE r.source_id = '$1'"
}
expect_same "meeting and journal records: one cluster" "$(cluster_of meeting)" "$(cluster_of journal)"
expect_same "two notices of one correction: one cluster" "$(cluster_of embase)" "$(cluster_of wos)"
for id in erratum article nejm; do
    expect_same "$id stays its own record" "$(cluster_of "$id")" none
done
related() { # source ids a b -> the relation's kind between their records, or none
    sql r.db "SELECT coalesce((SELECT kind FROM record_relation x JOIN record a ON a.id IN
              (x.record_id, x.related_id) JOIN record b ON b.id IN (x.record_id, x.related_id)
              WHERE a.source_id = '$1' AND b.source_id = '$2' AND a.id <> b.id), 'none')"
}
expect_same "the abstract of the article" "$(related meeting article)" abstract_of
[ "$(related erratum meeting)" != none ] || fail "the erratum and the abstract are not linked"
expect_same "the Embase notice corrects the article" "$(related embase nejm)" erratum_for
expect_same "the WoS notice corrects the article" "$(related wos nejm)" erratum_for
# --explain names the rules that decided
run dedupe --db r.db --explain
expect_out 'Embase.s "\(N Engl J Med \(2009\) 360 \(542-544\)\)"'
expect_out 'given as a range of one, "507-507"'

/* Status numbers are counts over the store: records, reports, stages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "store_int.h"
#include "winnow/protocol.h"
#include "winnow/status.h"

/* Ten records from two sources; records 2 and 3 are duplicates of 1. */
static const char fixture[] =
	"INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)"
	"  VALUES (1, 'm.ris', 'x', 1, 'ris', 'MEDLINE', 't'), (2, 's.ris', 'y', 1, 'ris', 'Scopus', 't');"
	"INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, via, imported_at)"
	"  VALUES (3, 'g.bib', 'z', 1, 'bibtex', 'Grey literature', 'website', 't');"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
	"  INSERT INTO record(id, import_file_id, position, title, created_at)"
	"  SELECT i, CASE WHEN i <= 6 THEN 1 WHEN i <= 9 THEN 2 ELSE 3 END, i, 'T' || i, 't' FROM n;"
	"INSERT INTO dedupe_cluster(id, primary_record_id, created_at) VALUES (1, 1, 't');"
	"INSERT INTO cluster_member(record_id, cluster_id, added_at) VALUES (1, 1, 't'), (2, 1, 't'), (3, 1, 't');";

static void decide(struct wn_store *s, int record, const char *stage, const char *reviewer,
		   const char *kind, const char *decision)
{
	sqlite3_stmt *st = wn_store_prepare(s,
		"INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at, rule_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, 't', CASE WHEN ?4 = 'rule' THEN 1 END)");

	sqlite3_bind_int(st, 1, record);
	wn_bind_text(st, 2, stage);
	wn_bind_text(st, 3, reviewer);
	wn_bind_text(st, 4, kind);
	wn_bind_text(st, 5, decision);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
}

/* Load protocol text into the review as the protocol in force. */
static void load_protocol(struct wn_store *s, const char *text)
{
	struct wn_diagnostics d = { 0 };
	struct wn_protocol p;
	int version, unchanged;

	assert_int_equal(wn_protocol_parse(&p, "p.ini", text, strlen(text), &d), WN_OK);
	assert_int_equal(wn_protocol_store(s, &p, &version, &unchanged), WN_OK);
	wn_protocol_release(&p);
}

static void test_counts(void **state)
{
	static const char proto[] = "[review]\ntitle = Status test\nquestion = Q\n";
	struct wn_review_status rs;
	struct tmpdir t;
	struct wn_store *s;

	(void)state;
	tmpdir_make(&t);
	assert_int_equal(wn_store_create(&s, tmpdir_file(&t, "r.db"), WHO("t")), WN_OK);

	/* an empty review without a protocol: no stages yet */
	assert_int_equal(wn_status_collect(s, &rs), WN_OK);
	assert_int_equal(rs.records, 0);
	assert_int_equal(rs.protocol_version, 0);
	assert_int_equal(rs.nstages, 0);
	assert_int_equal(rs.audit_entries, 2); /* init, and the seal of what it wrote */
	wn_status_release(&rs);

	load_protocol(s, proto);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_store_exec(s, fixture), WN_OK);
	assert_int_equal(wn_store_exec(s, "INSERT INTO rule_set(id, path, sha256, text, loaded_at) "
					  "VALUES (1, 'r', 'h', 'x', 't');"
					  "INSERT INTO rule(id, rule_set_id, line, action, expression) "
					  "VALUES (1, 1, 3, 'exclude', 'year < 2000')"), WN_OK);
	/* title-abstract: report 1 (via duplicate 3) included by both;
	 * 4 excluded by both; 5 in conflict; 6 screened by one only;
	 * 7 excluded by a rule; 8 conflict resolved to include; 9 one
	 * reviewer changed their mind (the later decision counts). */
	decide(s, 1, "title-abstract", "ann", "human", "include");
	decide(s, 3, "title-abstract", "bob", "human", "include");
	decide(s, 4, "title-abstract", "ann", "human", "exclude");
	decide(s, 4, "title-abstract", "bob", "human", "exclude");
	decide(s, 5, "title-abstract", "ann", "human", "include");
	decide(s, 5, "title-abstract", "bob", "human", "exclude");
	decide(s, 6, "title-abstract", "ann", "human", "include");
	decide(s, 7, "title-abstract", "rule:3", "rule", "exclude");
	decide(s, 8, "title-abstract", "ann", "human", "include");
	decide(s, 8, "title-abstract", "bob", "human", "exclude");
	decide(s, 8, "title-abstract", "cat", "resolution", "include");
	decide(s, 9, "title-abstract", "ann", "human", "exclude");
	decide(s, 9, "title-abstract", "bob", "human", "include");
	decide(s, 9, "title-abstract", "ann", "human", "include");
	/* full text: report 1 excluded by both */
	decide(s, 2, "full-text", "ann", "human", "exclude");
	decide(s, 1, "full-text", "bob", "human", "exclude");
	assert_int_equal(wn_store_exec(s, "INSERT INTO study(id, label, created_at) VALUES (1, 'S', 't');"
					  "INSERT INTO study_report(record_id, study_id, linked_at, actor)"
					  " VALUES (8, 1, 't', 'ann'), (9, 1, 't', 'ann')"), WN_OK);
	assert_int_equal(wn_store_commit(s), WN_OK);

	assert_int_equal(wn_status_collect(s, &rs), WN_OK);
	assert_int_equal(rs.protocol_version, 1);
	assert_string_equal(rs.protocol_title, "Status test");
	assert_int_equal(rs.records, 10);
	assert_int_equal(rs.reports, 8);
	assert_int_equal(rs.duplicates, 2);
	assert_int_equal(rs.clusters, 1);
	assert_int_equal(rs.nsources, 3);
	/* ordered by PRISMA arm (via), then name */
	assert_string_equal(rs.sources[0].name, "MEDLINE");
	assert_int_equal(rs.sources[0].records, 6);
	assert_string_equal(rs.sources[1].name, "Scopus");
	assert_int_equal(rs.sources[1].records, 3);
	assert_string_equal(rs.sources[2].via, "website");
	assert_int_equal(rs.sources[2].records, 1);

	assert_int_equal(rs.nstages, 2);
	assert_string_equal(rs.stages[0].name, "title-abstract");
	assert_int_equal(rs.stages[0].eligible, 8);
	assert_int_equal(rs.stages[0].included, 3);  /* 1, 8, 9 */
	assert_int_equal(rs.stages[0].excluded, 2);  /* 4, 7 */
	assert_int_equal(rs.stages[0].excluded_by_rule, 1);
	assert_int_equal(rs.stages[0].screened, 5);
	assert_int_equal(rs.stages[0].conflicts, 1); /* 5 */
	assert_int_equal(rs.stages[0].pending, 3);   /* 5, 6, 10 */
	assert_string_equal(rs.stages[1].name, "full-text");
	assert_int_equal(rs.stages[1].eligible, 3);
	assert_int_equal(rs.stages[1].excluded, 1);
	assert_int_equal(rs.stages[1].pending, 2);
	assert_int_equal(rs.studies, 1);
	assert_int_equal(rs.study_reports, 2);
	wn_status_release(&rs);

	wn_store_close(s);
	tmpdir_remove(&t);
}

/* A report excluded at any earlier stage never reaches a later one, and
 * the decision table refuses what would make the counts meaningless. */
static void test_stages_and_constraints(void **state)
{
	static const char proto[] = "[review]\ntitle = T\nquestion = Q\n"
				    "[stage screening]\nreviewers = 1\n"
				    "[stage eligibility]\nreviewers = 1\n"
				    "[stage extraction]\nreviewers = 1\n";
	struct wn_review_status rs;
	struct tmpdir t;
	struct wn_store *s;

	(void)state;
	tmpdir_make(&t);
	assert_int_equal(wn_store_create(&s, tmpdir_file(&t, "r.db"), WHO("t")), WN_OK);
	load_protocol(s, proto);
	assert_int_equal(wn_store_begin(s), WN_OK);
	assert_int_equal(wn_store_exec(s,
		"INSERT INTO import_file(id, path, sha256, size_bytes, format, database_name, imported_at)"
		"  VALUES (1, 'm.ris', 'x', 1, 'ris', 'MEDLINE', 't');"
		"INSERT INTO record(id, import_file_id, position, created_at)"
		"  VALUES (1, 1, 1, 't'), (2, 1, 2, 't');"), WN_OK);
	/* record 1: excluded at screening, yet (wrongly) included at eligibility */
	decide(s, 1, "screening", "ann", "human", "exclude");
	decide(s, 1, "eligibility", "ann", "human", "include");
	decide(s, 2, "screening", "ann", "human", "include");
	decide(s, 2, "eligibility", "ann", "human", "include");
	assert_int_equal(wn_store_commit(s), WN_OK);

	assert_int_equal(wn_status_collect(s, &rs), WN_OK);
	assert_int_equal(rs.nstages, 3);
	assert_int_equal(rs.stages[1].eligible, 1);
	assert_int_equal(rs.stages[2].eligible, 1); /* only record 2 */
	wn_status_release(&rs);

	assert_true(wn_store_exec(s, "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at)"
				     " VALUES (1, 'title-abstrct', 'ann', 'human', 'include', 't')") < 0);
	assert_non_null(strstr(wn_error_last(), "stage the protocol does not define"));
	assert_true(wn_store_exec(s, "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at)"
				     " VALUES (1, 'screening', 'cat', 'resolution', 'maybe', 't')") < 0);
	assert_int_equal(wn_store_exec(s, "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at, supersedes)"
					  " VALUES (1, 'screening', 'ann', 'human', 'include', 't', 1)"), WN_OK);
	/* superseded twice, or across records or stages: refused */
	assert_true(wn_store_exec(s, "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at, supersedes)"
				     " VALUES (1, 'screening', 'ann', 'human', 'exclude', 't', 1)") < 0);
	assert_true(wn_store_exec(s, "INSERT INTO decision(record_id, stage, reviewer, kind, decision, made_at, supersedes)"
				     " VALUES (2, 'screening', 'ann', 'human', 'exclude', 't', 5)") < 0);
	assert_non_null(strstr(wn_error_last(), "same record and stage"));
	wn_store_close(s);
	tmpdir_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_stages_and_constraints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

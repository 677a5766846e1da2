/*
 * winnow audit export DIR: the bundle a journal's peer reviewers get. Each
 * file is made by running winnow itself with the command a user would type
 * (recorded in the manifest beside the file's SHA-256), so the bundle says
 * exactly how to make each file again from the review.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "winnow/audit.h"
#include "winnow/status.h"
#include "winnow/winnow.h"

int audit_export(struct cmd_ctx *ctx, const char *dir);

/* Run this winnow with args, its output into dir/file: its exit status
 * (-1 when it could not run, -2 when the file could not be made: said). */
static int run_self(struct cmd_ctx *ctx, const char *dir, const char *file, char **args, int nargs)
{
	char *path, **argv = calloc((size_t)nargs + 4, sizeof(*argv));
	pid_t pid;
	int status, fd;
	char self[4096];
	ssize_t len;

	if (!argv || asprintf(&path, "%s/%s", dir, file) < 0)
		abort();
	/* this program's path: under valgrind, /proc/self/exe itself is
	 * valgrind, but what readlink says is the program it runs */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0 || (size_t)len >= sizeof(self) - 1)
		snprintf(self, sizeof(self), "/proc/self/exe");
	else
		self[len] = '\0';
	argv[0] = "winnow";
	argv[1] = "--db";
	argv[2] = (char *)ctx->db_path;
	for (int i = 0; i < nargs; i++)
		argv[3 + i] = args[i];
	fflush(stdout);
	fflush(stderr);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		cmd_fail("audit export: cannot write %s: %s", path, strerror(errno));
		free(path);
		free(argv);
		return -2; /* said */
	}
	if ((pid = fork()) == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(fd, STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		execv(self, argv);
		_exit(127);
	}
	close(fd);
	status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		unlink(path); /* a part this review does not have (no appraisals yet) */
	free(path);
	free(argv);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct part {
	const char *file;
	const char *what;
	char *args[8];
};

int audit_export(struct cmd_ctx *ctx, const char *dir)
{
	static const struct part parts[] = {
		{ "prisma.svg", "the PRISMA 2020 flow diagram", { "prisma", "--format", "svg" } },
		{ "prisma.json", "the PRISMA 2020 flow, every box (PRISMA2020 template names)",
		  { "prisma", "--format", "json" } },
		{ "prisma.csv", "the PRISMA 2020 flow as the PRISMA2020 package's CSV",
		  { "prisma", "--format", "csv" } },
		{ "search-report.md", "the PRISMA-S summary of every search and export",
		  { "prisma", "--search-report", "--format", "markdown" } },
		{ "search-report.json", "the same, for tools",
		  { "prisma", "--search-report", "--format", "json" } },
		{ "decisions.csv", "every screening decision, with reasons and what it superseded",
		  { "decisions", "export" } },
		{ "appraisal-summary.csv", "the quality appraisal, studies by items",
		  { "appraise", "summary", "--format", "csv" } },
		{ "appraisal-summary.md", "the same, as tables with a legend",
		  { "appraise", "summary", "--format", "markdown" } },
		{ "synthesis-matrix.csv", "themes by studies, findings coded",
		  { "synth", "matrix", "--format", "csv" } },
		{ "cerqual-profile.md", "the GRADE-CERQual evidence profile",
		  { "cerqual", "profile", "--format", "markdown" } },
		{ "audit-log.json", "every change, who made it and when", { "audit", "log", "--format", "json" } },
	};
	struct wn_review_status rs = { 0 };
	struct wn_audit_report ar = { 0 };
	struct wn_store *store = NULL;
	json_t *manifest = json_object(), *files = json_array();
	char *path = NULL, now[32];
	int status = EXIT_OK;
	time_t t = time(NULL);

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		json_decref(manifest);
		json_decref(files);
		return cmd_fail("audit export: cannot make %s: %s", dir, strerror(errno));
	}
	{
		/* a bundle is made in an empty directory, never over another */
		DIR *d = opendir(dir);
		struct dirent *e;
		int used = 0;

		if (!d) {
			json_decref(manifest);
			json_decref(files);
			return cmd_fail("audit export: %s is not a directory", dir);
		}
		while ((e = readdir(d)))
			used |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
		closedir(d);
		if (used) {
			json_decref(manifest);
			json_decref(files);
			return cmd_fail("audit export: %s is not empty: give a new directory", dir);
		}
	}
	if ((status = cmd_open_review(ctx, WN_OPEN_READ, &store)) != EXIT_OK)
		goto done;
	if (wn_audit_verify(store, &ar) < 0 || wn_status_collect(store, &rs) < 0) {
		status = cmd_fail_lib();
		goto done;
	}
	if (ar.nproblems) {
		status = cmd_fail("audit export: the audit trail does not verify (winnow audit verify "
				  "says how): no bundle is made from a review that has been tampered with");
		goto done;
	}
	for (size_t i = 0; i <= sizeof(parts) / sizeof(parts[0]) + rs.nstages; i++) {
		struct part p;
		char name[128], *stage = NULL;
		int nargs = 0, rc;

		memset(&p, 0, sizeof(p));
		if (i < sizeof(parts) / sizeof(parts[0])) {
			p = parts[i];
		} else if (i - sizeof(parts) / sizeof(parts[0]) < rs.nstages) {
			stage = rs.stages[i - sizeof(parts) / sizeof(parts[0])].name;
			snprintf(name, sizeof(name), "agreement-%s.json", stage);
			p.file = name;
			p.what = "agreement between reviewers at the stage";
			p.args[0] = "agreement";
			p.args[1] = "--stage";
			p.args[2] = stage;
			p.args[3] = "--format";
			p.args[4] = "json";
		} else {
			break;
		}
		while (nargs < 8 && p.args[nargs])
			nargs++;
		rc = run_self(ctx, dir, p.file, p.args, nargs);
		if (rc == 0) {
			json_t *f = json_object(), *cmdline = json_array();
			long long size;
			char sha[65];

			free(path);
			if (asprintf(&path, "%s/%s", dir, p.file) < 0)
				abort();
			if (wn_file_sha256(path, sha, &size) < 0) {
				json_decref(f);
				json_decref(cmdline);
				status = cmd_fail_lib();
				goto done;
			}
			json_array_append_new(cmdline, json_string("winnow"));
			for (int k = 0; k < nargs; k++)
				json_array_append_new(cmdline, json_string(p.args[k]));
			json_object_set_new(f, "file", json_string(p.file));
			json_object_set_new(f, "what", json_string(p.what));
			json_object_set_new(f, "command", cmdline);
			json_object_set_new(f, "sha256", json_string(sha));
			json_object_set_new(f, "bytes", json_integer(size));
			json_array_append_new(files, f);
			printf("  %-28s %s\n", p.file, p.what);
		} else if (rc == -2) {
			status = EXIT_FAIL;
			goto done;
		} else if (rc < 0 || rc >= EXIT_USAGE) {
			/* exit 1 is a part the review does not have; anything else
			 * is winnow not running as it should */
			status = cmd_fail("audit export: cannot run winnow to make %s (exit %d)",
					  p.file, rc);
			goto done;
		}
	}
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_object_set_new(manifest, "review", cmd_json_text(ctx->db_path));
	json_object_set_new(manifest, "title", rs.protocol_title ? cmd_json_text(rs.protocol_title)
								 : json_null());
	json_object_set_new(manifest, "exported_at", json_string(now));
	json_object_set_new(manifest, "winnow", json_string(WINNOW_VERSION));
	json_object_set_new(manifest, "audit_entries", json_integer(ar.entries));
	json_object_set_new(manifest, "head", json_string(ar.head));
	json_object_set_new(manifest, "verify", json_string("winnow --db REVIEW audit verify --head HEAD"));
	json_object_set_new(manifest, "files", files);
	files = NULL;
	free(path);
	if (asprintf(&path, "%s/manifest.json", dir) < 0)
		abort();
	if (json_dump_file(manifest, path, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) != 0) {
		status = cmd_fail("audit export: cannot write %s", path);
		goto done;
	}
	printf("  %-28s %s\n", "manifest.json", "each file's command and SHA-256, and the head hash");
	printf("Exported to %s; head %s\n", dir, ar.head);
done:
	free(path);
	json_decref(files);
	json_decref(manifest);
	wn_audit_report_release(&ar);
	wn_status_release(&rs);
	wn_store_close(store);
	return status;
}

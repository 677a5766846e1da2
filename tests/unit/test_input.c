/*
 * Input decoding: whatever encoding and line endings an export has, the
 * parsers see the same UTF-8 lines, numbered as the file's own lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winnow/format.h"
#include "winnow/winnow.h"

/* All lines of an input joined with '|', and the encoding and endings. */
static char *lines_of(const void *data, size_t len, char *encoding, char *endings)
{
	struct wn_input *in;
	const char *line;
	size_t n;
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	int first = 1;

	assert_int_equal(wn_input_open_memory(&in, data, len, "test"), 0);
	while (wn_input_getline(in, &line, &n) > 0) {
		assert_int_equal(strlen(line), n);
		fprintf(f, "%s%s", first ? "" : "|", line);
		first = 0;
	}
	if (encoding)
		strcpy(encoding, wn_input_encoding(in));
	if (endings)
		strcpy(endings, wn_input_line_endings(in));
	wn_input_close(in);
	fclose(f);
	return out;
}

static void expect_lines(const void *data, size_t len, const char *want, const char *encoding,
			 const char *endings)
{
	char enc[32], end[32];
	char *got = lines_of(data, len, enc, end);

	assert_string_equal(got, want);
	assert_string_equal(enc, encoding);
	assert_string_equal(end, endings);
	free(got);
}

static void test_utf8_variants(void **state)
{
	(void)state;
	expect_lines("a\nb\n", 4, "a|b", "utf-8", "lf");
	expect_lines("\xEF\xBB\xBF" "caf\xC3\xA9\r\nb", 11, "caf\xC3\xA9|b", "utf-8-bom", "crlf");
	expect_lines("a\rb\rc", 5, "a|b|c", "utf-8", "cr");
	expect_lines("a\r\nb\nc\r", 7, "a|b|c", "utf-8", "mixed");
	expect_lines("one line", 8, "one line", "utf-8", "none");
	expect_lines("a\n\nb\n\n", 6, "a||b|", "utf-8", "lf");
	/* a NUL inside a line is read as a space */
	expect_lines("a\0b\n", 4, "a b", "utf-8", "lf");
}

static void test_windows_1252(void **state)
{
	(void)state;
	/* é in Latin-1, the euro sign and curly quotes of Windows-1252, and
	 * 0x81 (undefined there) read as Latin-1 */
	expect_lines("caf\xE9 \x80 \x93q\x94\n\x81", 12,
		     "caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D|\xC2\x81",
		     "windows-1252", "lf");
	/* one invalid byte anywhere makes the whole file Windows-1252 */
	expect_lines("caf\xC3\xA9\nna\xEFve\n", 12, "caf\xC3\x83\xC2\xA9|na\xC3\xAFve",
		     "windows-1252", "lf");
}

static void test_utf16(void **state)
{
	static const char le[] = "\xFF\xFE" "T\0Y\0\r\0\n\0\xE9\0\x20\x20";
	static const char be[] = "\xFE\xFF" "\0T\0Y\0\r\0\n\0\xE9\x20\x20";

	(void)state;
	/* U+00E9 and U+2020 (dagger) */
	expect_lines(le, sizeof(le) - 1, "TY|\xC3\xA9\xE2\x80\xA0", "utf-16le", "crlf");
	expect_lines(be, sizeof(be) - 1, "TY|\xC3\xA9\xE2\x80\xA0", "utf-16be", "crlf");
	/* a truncated last character and a lone surrogate become U+FFFD */
	expect_lines("\xFF\xFE" "a\0\x00\xD8" "b\0" "c", 9, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD",
		     "utf-16le", "none");
}

/* Lines and CRLF pairs that straddle the internal 64 KiB chunks. */
static void test_long_input(void **state)
{
	size_t n = 200000;
	char *data = malloc(n);
	struct wn_input *in;
	const char *line;
	size_t len, total = 0;
	long lines = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		data[i] = (i % 1000 == 998) ? '\r' : (i % 1000 == 999) ? '\n' : 'x';
	assert_int_equal(wn_input_open_memory(&in, data, n, "long"), 0);
	while (wn_input_getline(in, &line, &len) > 0) {
		assert_int_equal(len, 998);
		total += len;
		lines++;
		assert_int_equal(wn_input_lineno(in), lines);
	}
	assert_int_equal(lines, 200);
	assert_int_equal(total, 200 * 998);
	assert_string_equal(wn_input_line_endings(in), "crlf");
	/* rewind starts again */
	assert_int_equal(wn_input_rewind(in), 0);
	assert_int_equal(wn_input_getline(in, &line, &len), 1);
	assert_int_equal(wn_input_lineno(in), 1);
	wn_input_close(in);
	free(data);
}

static void test_file_identity(void **state)
{
	char path[] = "/tmp/winnow-input-XXXXXX";
	struct wn_input *in;
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("abc", f);
	fclose(f);
	assert_int_equal(wn_input_open_file(&in, path), 0);
	/* sha256("abc") */
	assert_string_equal(wn_input_sha256(in),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(wn_input_size(in), 3);
	wn_input_close(in);
	unlink(path);
	assert_int_equal(wn_input_open_file(&in, path), WN_ENOTFOUND);
	assert_non_null(strstr(wn_error_last(), path));
	assert_int_equal(wn_input_open_file(&in, "/tmp"), WN_EINVALID);
}

static void test_detect(void **state)
{
	static const struct {
		const char *text, *format;
	} cases[] = {
		{ "\n\nTY  - JOUR\nTI  - x\nER  - \n", "ris" },
		{ "Record #1 of 2\nProvider: x\n\n1.\nTY  - JOUR\nAU  - A\nER  - \n", "ris" },
		{ "\nPMID- 123\nTI  - x\n", "nbib" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wn_input *in;
		const struct wn_format_info *f;

		assert_int_equal(wn_input_open_memory(&in, cases[i].text, strlen(cases[i].text),
						      "t"), 0);
		f = wn_format_detect(in);
		assert_non_null(f);
		assert_string_equal(f->name, cases[i].format);
		wn_input_close(in);
	}
	{
		struct wn_input *in;

		assert_int_equal(wn_input_open_memory(&in, "", 0, "empty.ris"), 0);
		assert_null(wn_format_detect(in));
		assert_non_null(strstr(wn_error_last(), "'empty.ris' is empty"));
		wn_input_close(in);
		assert_int_equal(wn_input_open_memory(&in, "hello world\n", 12, "x.txt"), 0);
		assert_null(wn_format_detect(in));
		assert_non_null(strstr(wn_error_last(), "cannot tell the format of 'x.txt'"));
		wn_input_close(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_variants),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_long_input),
		cmocka_unit_test(test_file_identity),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

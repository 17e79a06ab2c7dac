// SPDX-License-Identifier: GPL-2.0
/*
 * socktop(8) lists every key and every filter term: each binding of each
 * key table is a ".TP" / ".B label" / help entry in its own subsection of
 * KEYS (named as the help page names it), each term of filter_terms one
 * of FILTERS, and every example of FILTERS parses. A key or a term added
 * without its entry, or one gone and still documented, fails here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "filter.h"
#include "keys.h"
#include "list.h"
#include "ui_input.h"

/* tests/run (make test-unit) runs the tests from the repository root */
#define MAN_PATH "tui/socktop.8"

#include "all_views.h"

/* One line of the page, with the .SH and .SS it is under. */
struct man_line {
	char sh[32], ss[64];
	char *text;
};

struct man {
	int n;
	struct man_line *line;
};

/* ".SS "In every list"" -> "In every list" */
static void heading(char *out, size_t outsz, const char *arg)
{
	size_t n = strlen(arg);

	if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"') {
		arg++;
		n -= 2;
	}
	snprintf(out, outsz, "%.*s", (int)n, arg);
}

static int man_read(struct man *m, const char *path)
{
	char sh[32] = "", ss[64] = "", *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f = fopen(path, "r");

	m->n = 0;
	m->line = NULL;
	if (!f)
		return -errno;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		struct man_line *grown = realloc(m->line, (size_t)(m->n + 1) * sizeof(*grown));

		if (!grown) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		m->line = grown;
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (!strncmp(buf, ".SH ", 4)) {
			heading(sh, sizeof(sh), buf + 4);
			ss[0] = '\0';
		} else if (!strncmp(buf, ".SS ", 4)) {
			heading(ss, sizeof(ss), buf + 4);
		}
		snprintf(m->line[m->n].sh, sizeof(m->line[m->n].sh), "%s", sh);
		snprintf(m->line[m->n].ss, sizeof(m->line[m->n].ss), "%s", ss);
		m->line[m->n].text = strdup(buf);
		if (!m->line[m->n].text) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		m->n++;
	}
	free(buf);
	fclose(f);
	return 0;
}

static void man_free(struct man *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->line[i].text);
	free(m->line);
}

/* As the page writes text: \ as \e, - as \-, a leading . or ' behind \&. */
static const char *roff(char *out, size_t outsz, const char *s)
{
	size_t o = 0;

	if (*s == '.' || *s == '\'')
		o += (size_t)snprintf(out, outsz, "\\&");
	for (; *s && o + 3 < outsz; s++) {
		if (*s == '\\' || *s == '-') {
			out[o++] = '\\';
			out[o++] = *s == '\\' ? 'e' : '-';
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

/* Back from roff: \e, \- and \& as roff() writes them. */
static const char *plain(char *out, size_t outsz, const char *s)
{
	size_t o = 0;

	for (; *s && o + 1 < outsz; s++) {
		if (*s == '\\' && s[1] == '&') {
			s++;
			continue;
		}
		if (*s == '\\' && (s[1] == 'e' || s[1] == '-'))
			out[o++] = *++s == 'e' ? '\\' : '-';
		else
			out[o++] = *s;
	}
	out[o] = '\0';
	return out;
}

/* The line index of the entry "text" under sh (and ss, unless NULL), or -1. */
static int man_find(const struct man *m, const char *sh, const char *ss, const char *text)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->line[i].sh, sh) && (!ss || !strcmp(m->line[i].ss, ss)) &&
		    !strcmp(m->line[i].text, text))
			return i;
	return -1;
}

static int man_count(const struct man *m, const char *sh, const char *ss, const char *text)
{
	int n = 0;

	for (int i = 0; i < m->n; i++)
		n += !strcmp(m->line[i].sh, sh) && (!ss || !strcmp(m->line[i].ss, ss)) &&
		     !strcmp(m->line[i].text, text);
	return n;
}

/* An entry ".TP", head, help under sh/ss; false (and why on stderr) if not. */
static bool man_entry(const struct man *m, const char *sh, const char *ss, const char *head,
		      const char *help)
{
	char want[512];
	int i = man_find(m, sh, ss, head);

	roff(want, sizeof(want), help);
	if (i < 0) {
		fprintf(stderr, "  %s: no line '%s' under .SH %s%s%s\n", MAN_PATH, head, sh,
			ss ? ", .SS " : "", ss ? ss : "");
		return false;
	}
	if (i == 0 || strcmp(m->line[i - 1].text, ".TP") || i + 1 == m->n ||
	    strcmp(m->line[i + 1].text, want)) {
		fprintf(stderr, "  %s:%d: '%s' is not '.TP', itself, then '%s'\n", MAN_PATH, i + 1,
			head, want);
		return false;
	}
	return true;
}

/* Every binding of t in subsection ss of KEYS, and no other entry there. */
static void check_table(const struct man *m, const char *ss, const struct key_bind *t)
{
	char label[48], esc[128], head[136];
	int entries = man_count(m, "KEYS", ss, ".TP");

	for (const struct key_bind *b = t; b && b->fn; b++) {
		keys_label(b, label, sizeof(label));
		snprintf(head, sizeof(head), ".B %s", roff(esc, sizeof(esc), label));
		CHECK(man_entry(m, "KEYS", ss, head, b->help));
	}
	if (entries != keys_count(t))
		fprintf(stderr, "  %s: .SS %s has %d entries, its key table %d\n", MAN_PATH, ss,
			entries, keys_count(t));
	CHECK(entries == keys_count(t));
}

static void check_keys(const struct man *m)
{
	char ss[64];

	check_table(m, "Everywhere", ui_global_keys);
	check_table(m, "In every list", list_keys);
	for (size_t i = 0; i < NVIEWS; i++) {
		/* as the help page titles them (view_help.c) */
		snprintf(ss, sizeof(ss), "%s %s", views[i]->name, views[i]->pane ? "pane" : "page");
		check_table(m, ss, views[i]->keys);
	}
}

/* ".BI "port " N[,N...]", ".BI rtt >T" (a comparison), ".B errors" */
static void check_terms(const struct man *m)
{
	char arg[64], head[128];
	int terms = 0, entries = man_count(m, "FILTERS", NULL, ".TP");

	for (const struct filter_term_def *d = filter_terms; d->name; d++, terms++) {
		if (!d->arg)
			snprintf(head, sizeof(head), ".B %s", d->name);
		else if (filter_is_compare(d))
			snprintf(head, sizeof(head), ".BI %s %s", d->name,
				 roff(arg, sizeof(arg), d->arg));
		else
			snprintf(head, sizeof(head), ".BI \"%s \" %s", d->name,
				 roff(arg, sizeof(arg), d->arg));
		CHECK(man_entry(m, "FILTERS", NULL, head, d->help));
	}
	if (entries != terms)
		fprintf(stderr, "  %s: FILTERS has %d entries, filter_terms %d\n", MAN_PATH,
			entries, terms);
	CHECK(entries == terms);
}

/* Each line of FILTERS' .EX block, unescaped, is a filter the parser takes. */
static void check_examples(const struct man *m)
{
	int examples = 0;
	bool in = false;

	for (int i = 0; i < m->n; i++) {
		const char *s = m->line[i].text;
		char text[FILTER_TEXT_LEN], err[160];
		struct filter f = { 0 };
		int pos, rc;

		if (strcmp(m->line[i].sh, "FILTERS"))
			continue;
		if (!strcmp(s, ".EX") || !strcmp(s, ".EE")) {
			in = !strcmp(s, ".EX");
			continue;
		}
		if (!in)
			continue;
		plain(text, sizeof(text), s);
		rc = filter_parse(&f, text, err, sizeof(err), &pos);
		if (rc)
			fprintf(stderr, "  %s:%d: example '%s' refused: %s\n", MAN_PATH, i + 1,
				text, err);
		CHECK(rc == 0);
		examples++;
	}
	CHECK(examples >= 3);
}

static void test_man_page(void)
{
	struct man m;
	char cwd[256];
	int err = man_read(&m, MAN_PATH);

	if (err) {
		fprintf(stderr, "  cannot read %s (from %s): %s\n", MAN_PATH,
			getcwd(cwd, sizeof(cwd)) ? cwd : "?", strerror(-err));
		CHECK(!err);
		man_free(&m);
		return;
	}
	check_keys(&m);
	check_terms(&m);
	check_examples(&m);
	man_free(&m);
}

int main(void)
{
	RUN(test_man_page);
	CHECK_EXIT();
}

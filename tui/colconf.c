// SPDX-License-Identifier: GPL-2.0
/* The columns file: where it lives, its grammar, reading and writing it.
 * No curses: the UI shows what it warns about. */
#include "colconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COLCONF_MAX_BYTES 16384

const struct col_set *const colconf_sets[COLCONF_PANES] = { &conns_cols, &procs_cols, &binds_cols };

void colconf_default(const struct col_set *s, struct col_choice *ch)
{
	memset(ch, 0, sizeof(*ch)); /* whole: choices are compared with memcmp */
	for (int c = 0; c < s->n && c < COLS_MAX; c++)
		if (!s->col[c].off_by_default)
			ch->order[ch->n++] = (uint8_t)c;
}

struct col_choice *colconf_choice(struct colconf *c, const struct col_set *s)
{
	for (int i = 0; i < COLCONF_PANES; i++)
		if (colconf_sets[i] == s)
			return &c->pane[i];
	return NULL;
}

const struct col_choice *colconf_choice_c(const struct colconf *c, const struct col_set *s)
{
	return colconf_choice((struct colconf *)c, s);
}

bool colconf_shown(const struct col_choice *ch, int c)
{
	for (int i = 0; i < ch->n; i++)
		if (ch->order[i] == c)
			return true;
	return false;
}

/* The home of the user who started socktop: through sudo, the one who ran
 * sudo (socktop runs as that user once privileges are dropped). */
static const char *user_home(char *buf, size_t bufsz)
{
	const char *sudo_uid = getenv("SUDO_UID"), *home = getenv("HOME");
	struct passwd pw, *res = NULL;
	char pwbuf[4096];
	uid_t uid = getuid();

	if (sudo_uid && *sudo_uid) {
		char *end;
		unsigned long v = strtoul(sudo_uid, &end, 10);

		if (!*end && v < UINT32_MAX)
			uid = (uid_t)v;
		home = NULL; /* sudo's HOME is the target user's */
	}
	if (home && *home == '/') {
		snprintf(buf, bufsz, "%s", home);
		return buf;
	}
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) || !res || !res->pw_dir ||
	    res->pw_dir[0] != '/')
		return NULL;
	snprintf(buf, bufsz, "%s", res->pw_dir);
	return buf;
}

int colconf_path(char *out, size_t outsz)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char home[PATH_MAX];

	/* sudo keeps no XDG_CONFIG_HOME of the user's; one it passes is root's */
	if (xdg && *xdg == '/' && !getenv("SUDO_UID")) {
		snprintf(out, outsz, "%.400s/socktop/columns", xdg);
		return 0;
	}
	if (!user_home(home, sizeof(home))) {
		out[0] = '\0';
		return -ENOENT;
	}
	snprintf(out, outsz, "%.400s/.config/socktop/columns", home);
	return 0;
}

__attribute__((format(printf, 5, 0))) static void warnf(void (*warn)(void *, const char *),
							void *ctx, const char *name, int line,
							const char *fmt, const char *arg)
{
	char what[160], msg[640];

	if (!warn)
		return;
	snprintf(what, sizeof(what), fmt, arg);
	if (line > 0)
		snprintf(msg, sizeof(msg), "%.400s:%d: %s", name, line, what);
	else
		snprintf(msg, sizeof(msg), "%.400s: %s", name, what);
	warn(ctx, msg);
}

/* One "pane = id id ..." line into its pane's choice; 0 or a problem. */
static int parse_line(struct colconf *c, char *s, const char *name, int line, bool seen[],
		      void (*warn)(void *, const char *), void *ctx)
{
	char *eq = strchr(s, '='), *key = s, *tok, *save;
	struct col_choice ch = { 0 };
	int pane = -1;

	if (!eq) {
		warnf(warn, ctx, name, line, "expected PANE = COLUMNS (%s)", "conns, procs, binds");
		return 1;
	}
	*eq = '\0';
	key = strtok_r(key, " \t", &save);
	if (!key || strtok_r(NULL, " \t", &save)) {
		warnf(warn, ctx, name, line, "expected one pane name before '=' (%s)",
		      "conns, procs, binds");
		return 1;
	}
	for (int i = 0; i < COLCONF_PANES; i++)
		if (!strcmp(colconf_sets[i]->pane, key))
			pane = i;
	if (pane < 0) {
		warnf(warn, ctx, name, line, "unknown pane '%.40s' (conns, procs, binds)", key);
		return 1;
	}
	if (seen[pane]) {
		warnf(warn, ctx, name, line, "pane '%s' given twice", key);
		return 1;
	}
	seen[pane] = true;
	for (tok = strtok_r(eq + 1, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		int col = col_find(colconf_sets[pane], tok);

		if (col < 0) {
			warnf(warn, ctx, name, line, "unknown column '%.40s' (F2 lists them)", tok);
			return 1;
		}
		if (colconf_shown(&ch, col)) {
			warnf(warn, ctx, name, line, "column '%.40s' given twice", tok);
			return 1;
		}
		ch.order[ch.n++] = (uint8_t)col;
	}
	if (!ch.n) {
		warnf(warn, ctx, name, line, "no columns for '%s'", key);
		return 1;
	}
	c->pane[pane] = ch;
	return 0;
}

int colconf_parse(struct colconf *c, const char *text, const char *name,
		  void (*warn)(void *ctx, const char *msg), void *ctx)
{
	bool seen[COLCONF_PANES] = { false };
	int line = 0, bad = 0;

	for (int i = 0; i < COLCONF_PANES; i++)
		colconf_default(colconf_sets[i], &c->pane[i]);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char buf[1024], *s;

		line++;
		if (len >= sizeof(buf)) {
			warnf(warn, ctx, name, line, "line too long (%s)", "over 1023 bytes");
			bad++;
		} else {
			memcpy(buf, text, len);
			buf[len] = '\0';
			if ((s = strchr(buf, '#')))
				*s = '\0';
			for (s = buf; *s == ' ' || *s == '\t' || *s == '\r'; s++)
				;
			if (*s) {
				for (char *p = s; *p; p++)
					if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r') {
						warnf(warn, ctx, name, line, "%s",
						      "a control character");
						bad++;
						*s = '\0';
						break;
					}
				for (char *e = s + strlen(s);
				     e > s && (e[-1] == '\r' || e[-1] == ' ');)
					*--e = '\0';
			}
			if (*s)
				bad += parse_line(c, s, name, line, seen, warn, ctx);
		}
		text += len + (nl ? 1 : 0);
	}
	return bad;
}

int colconf_load(struct colconf *c, void (*warn)(void *ctx, const char *msg), void *ctx)
{
	char text[COLCONF_MAX_BYTES + 1];
	struct stat st;
	size_t len;
	FILE *f;
	int fd;

	for (int i = 0; i < COLCONF_PANES; i++)
		colconf_default(colconf_sets[i], &c->pane[i]);
	if (!c->path[0])
		return 0;
	fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		warnf(warn, ctx, c->path, 0, "cannot read it: %s", strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > COLCONF_MAX_BYTES) {
		warnf(warn, ctx, c->path, 0, "%s",
		      S_ISREG(st.st_mode) ? "larger than 16 KiB: not read" : "not a regular file");
		close(fd);
		return 1;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 1;
	}
	len = fread(text, 1, COLCONF_MAX_BYTES, f);
	fclose(f);
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		warnf(warn, ctx, c->path, 0, "%s", "holds NUL bytes: not a text file");
		return 1;
	}
	return colconf_parse(c, text, c->path, warn, ctx);
}

size_t colconf_format(const struct colconf *c, char *out, size_t outsz)
{
	size_t off = 0;

	off += (size_t)snprintf(
		out, outsz,
		"# socktop: the columns each pane shows, in order (F2 in socktop sets them)\n");
	for (int i = 0; i < COLCONF_PANES && off < outsz; i++) {
		const struct col_set *s = colconf_sets[i];

		off += (size_t)snprintf(out + off, outsz - off, "%s =", s->pane);
		for (int k = 0; k < c->pane[i].n && off < outsz; k++)
			off += (size_t)snprintf(out + off, outsz - off, " %s",
						s->col[c->pane[i].order[k]].id);
		if (off < outsz)
			off += (size_t)snprintf(out + off, outsz - off, "\n");
	}
	return off < outsz ? off : outsz - 1;
}

/* mkdir -p of the file's directory (mode 0700 for what it makes). */
static int make_dirs(const char *path)
{
	char d[512];

	snprintf(d, sizeof(d), "%s", path);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int colconf_save(const struct colconf *c)
{
	char text[COLCONF_MAX_BYTES], tmp[600];
	size_t len = colconf_format(c, text, sizeof(text));
	int fd, err;

	if (!c->path[0])
		return -ENOENT;
	/* root still, through sudo: the file would be root's, in the user's home */
	if (geteuid() == 0 && getenv("SUDO_UID"))
		return -EPERM;
	err = make_dirs(c->path);
	if (err)
		return err;
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", c->path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd)) {
		err = errno ? -errno : -EIO;
		close(fd);
		unlink(tmp);
		return err;
	}
	if (close(fd) || rename(tmp, c->path)) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

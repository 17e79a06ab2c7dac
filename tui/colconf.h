/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The columns each pane shows, in order, as the user chose them (F2), and
 * the small file that remembers them: $XDG_CONFIG_HOME/socktop/columns
 * (else ~/.config/socktop/columns; started through sudo, the invoking
 * user's home). One line a pane, `conns = pid comm local ...`, `#`
 * comments. A bad line is named (file:line) and that pane keeps its
 * defaults; nothing in the file can stop the UI.
 */
#ifndef SOCKTOP_COLCONF_H
#define SOCKTOP_COLCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"

#define COLCONF_PANES 3

/* The panes whose columns can be chosen, in file order. */
extern const struct col_set *const colconf_sets[COLCONF_PANES];

struct colconf {
	struct col_choice pane[COLCONF_PANES];
	char path[512]; /* the file, "" when no home is known */
};

/* The pane's default: every column, in table order. */
void colconf_default(const struct col_set *s, struct col_choice *ch);
/* The choice of the pane with this set (NULL when it has none). */
struct col_choice *colconf_choice(struct colconf *c, const struct col_set *s);
const struct col_choice *colconf_choice_c(const struct colconf *c, const struct col_set *s);
/* Whether column c is in the choice. */
bool colconf_shown(const struct col_choice *ch, int c);

/* Where the file is (XDG rules above); 0 or -ENOENT with no home. */
int colconf_path(char *out, size_t outsz);
/* Parse a file's text: every pane gets its line's choice, or its default
 * when the line is missing or bad. Each problem is passed to warn as
 * "NAME:LINE: what"; returns how many there were. */
int colconf_parse(struct colconf *c, const char *text, const char *name,
		  void (*warn)(void *ctx, const char *msg), void *ctx);
/* Defaults, then the file at c->path if there is one (a missing file is
 * no problem; an unreadable one is warned about). Returns problems. */
int colconf_load(struct colconf *c, void (*warn)(void *ctx, const char *msg), void *ctx);
/* The text of the file for these choices (NUL-terminated); bytes. */
size_t colconf_format(const struct colconf *c, char *out, size_t outsz);
/* Write c->path (its directories made, written whole then renamed):
 * 0 or -errno. */
int colconf_save(const struct colconf *c);

#endif

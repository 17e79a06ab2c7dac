/* SPDX-License-Identifier: GPL-2.0 */
/* Key tables: dispatch a key through one, and name keys for help. */
#ifndef SOCKTOP_KEYS_H
#define SOCKTOP_KEYS_H

#include <stddef.h>

#include "view.h"

/* Run the binding for key in t; R_UNHANDLED when t has none. */
int keys_dispatch(const struct key_bind *t, struct ui *u, void *priv, int key);
/* "F1", "Enter", "PgUp", "Space", "^L", "x". */
const char *keys_name(int key, char *buf, size_t bufsz);
/* The help label of a binding: its label, or its keys' names joined. */
const char *keys_label(const struct key_bind *b, char *buf, size_t bufsz);
/* Number of bindings in a table. */
int keys_count(const struct key_bind *t);

#endif

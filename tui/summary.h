/* SPDX-License-Identifier: GPL-2.0 */
/* socktop's exit summary (stderr): events, bounds, resyncs, lifecycles. */
#ifndef SOCKTOP_SUMMARY_H
#define SOCKTOP_SUMMARY_H

#include <stdio.h>

#include "app.h"

/* Every line of the summary; a recording that failed goes through msg_err. */
void summary_print(const struct app *a, FILE *f);
/* "socktop: bounds: ..." : every bound and what it pushed out */
void summary_bounds(const struct app *a, FILE *f);
/* "socktop: lifecycles: ..." when the table inferred anything */
void summary_lifecycles(const struct app *a, FILE *f);

#endif

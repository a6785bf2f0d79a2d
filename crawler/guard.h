/* SPDX-License-Identifier: MIT */
/*
 * The sanity guard: whether a finished run looks like the source broke
 * (a redesign that makes the selectors miss, a listing that lost most of
 * its pages) rather than like the city changed. Such a run is *suspect*:
 * the crawler commits nothing of it and keeps its staged records for a
 * person to accept (cd_store_run_accept()). Pure logic on two profiles
 * (store/store.h, struct cd_run_profile): the run's and the one of the
 * source's last good run. The rules, documented in docs/design.md:
 *
 *   1. count: fewer records than min_ratio x the last good run's;
 *   2. item: the `item` selector matched nothing where the last good run
 *      had records;
 *   3. fields: a field present in at least CD_GUARD_WAS of the last good
 *      run's items is present in less than CD_GUARD_NOW of this run's
 *      (`name` always; other fields only when both runs have at least
 *      CD_GUARD_MIN_ITEMS items, so that a source of three shops is not
 *      suspect because one of them dropped its phone number).
 *
 * A source's first run has nothing to compare with and always passes.
 */
#ifndef CD_GUARD_H
#define CD_GUARD_H

#include <stddef.h>

#include "core/record.h"
#include "store/store.h"

#define CD_GUARD_WAS        0.9  /* "nearly always there" before */
#define CD_GUARD_NOW        0.1  /* "nearly never there" now */
#define CD_GUARD_MIN_ITEMS  5    /* items both runs need for rule 3,
                                    except for `name` */

struct cd_guard_opts {
    double min_ratio;                    /* rule 1; 0: off */
    int has_item;                        /* the definition has `item` */
    unsigned char selector[CD_F__COUNT]; /* non-zero: the definition has a
                                            selector for the field (the
                                            message then says "selector") */
};

/*
 * Judge a run by its profile `now` against `last` (the last good run's;
 * NULL when there is none). Returns 1 when the run is suspect, with the
 * reasons in `why` (one line, "; " between reasons, cut to n bytes), else
 * 0 with `why` empty. o MAY be NULL (min_ratio 0.5, no selectors known).
 */
int cd_guard_judge(char *why, size_t n, const struct cd_run_profile *now,
                   const struct cd_run_profile *last,
                   const struct cd_guard_opts *o);

#endif

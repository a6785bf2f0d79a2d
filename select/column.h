/* SPDX-License-Identifier: MIT */
/*
 * column: selectors, evaluated on one row of a table (select/column.c).
 *
 * `column:NAME` names a column by its header: the exact name first, then
 * the same name ignoring ASCII case and surrounding blanks. `column:#N`
 * names the N-th column (from 1), for files without a usable header.
 */
#ifndef CD_SELECT_COLUMN_H
#define CD_SELECT_COLUMN_H

#include <stddef.h>

#include "core/error.h"
#include "select/selector.h"

/* A table row: n fields of len[i] bytes at v[i] (not NUL-terminated). */
struct cd_row {
    const char *const *v;
    const size_t *len;
    size_t n;
};

/*
 * The index of the column a column: selector names, given the header row
 * (names NUL-terminated). 0 and *out set, or CD_ENOTFOUND.
 */
int cd_column_find(size_t *out, const struct cd_selector *s,
                   const char *const *names, size_t nnames);

/*
 * Evaluate a column: selector on `row`, where `col` is what
 * cd_column_find() gave: the field goes through the selector's regex, if
 * any, to cb. A row shorter than the header gives nothing. 0, CD_EUSER,
 * CD_ENOMEM.
 */
int cd_selector_eval_column(const struct cd_selector *s, size_t col,
                            const struct cd_row *row, cd_value_fn *cb,
                            void *payload);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * column: selectors (select/column.h): finding a column by its header
 * name or number, and reading it from a row.
 */
#include "select/column.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

/* n bytes at *s without the blanks around them. */
static void strip(const char **s, size_t *n)
{
    while(*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while(*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int cd_column_find(size_t *out, const struct cd_selector *s,
                   const char *const *names, size_t nnames)
{
    const char *want = cd_selector_expr(s), *h;
    size_t i, wl = strlen(want), hl;
    unsigned long num;

    for(i = 0; i < nnames; i++) {
        if(!strcmp(names[i], want)) {
            *out = i;
            return 0;
        }
    }
    for(i = 0; i < nnames; i++) {
        h = names[i];
        hl = strlen(h);
        strip(&h, &hl);
        if(hl == wl && !strncasecmp(h, want, wl)) {
            *out = i;
            return 0;
        }
    }
    if(want[0] == '#' && !cd_parse_uint(&num, want + 1, INT_MAX) && num) {
        *out = (size_t)num - 1;
        return 0;
    }
    return CD_ENOTFOUND;
}

int cd_selector_eval_column(const struct cd_selector *s, size_t col,
                            const struct cd_row *row, cd_value_fn *cb,
                            void *payload)
{
    if(col >= row->n)
        return 0;
    return cd_selector_finish_value(s, row->v[col], row->len[col], cb,
                                    payload);
}

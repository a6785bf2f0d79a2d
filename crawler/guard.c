/* SPDX-License-Identifier: MIT */
/*
 * The sanity guard's decision (crawler/guard.h): three rules over the
 * profile of a run and of the source's last good run. No I/O, no store:
 * the crawler reads the profiles and acts on the verdict (crawler/crawl.c,
 * run_end()).
 */
#include "crawler/guard.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append one reason to why (n bytes), "; " after the first. */
static void reason(char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reason(char *why, size_t n, const char *fmt, ...)
{
    size_t len = strlen(why);
    va_list ap;

    if(len + 3 >= n)
        return;
    if(len) {
        memcpy(why + len, "; ", 3);
        len += 2;
    }
    va_start(ap, fmt);
    vsnprintf(why + len, n - len, fmt, ap);
    va_end(ap);
}

/* Rule 3 for field f: it was nearly always there and is nearly never. */
static int field_lost(const struct cd_run_profile *now,
                      const struct cd_run_profile *last, enum cd_field f)
{
    double was, is;

    if(now->items < 1 || last->items < 1)
        return 0;
    if(f != CD_F_NAME && (now->items < CD_GUARD_MIN_ITEMS ||
                          last->items < CD_GUARD_MIN_ITEMS))
        return 0;
    was = (double)last->fields[f] / (double)last->items;
    is = (double)now->fields[f] / (double)now->items;
    return was >= CD_GUARD_WAS && is < CD_GUARD_NOW;
}

int cd_guard_judge(char *why, size_t n, const struct cd_run_profile *now,
                   const struct cd_run_profile *last,
                   const struct cd_guard_opts *o)
{
    double min_ratio = o ? o->min_ratio : 0.5;
    int f;

    if(n)
        why[0] = '\0';
    if(!last || !n)
        return 0;
    /* last->records, not items: a run whose items all lacked a name
     * (accepted on purpose) gives nothing to replay from a page that did
     * not change (crawler/crawl.c, replay()), so no items either */
    if(o && o->has_item && now->items == 0 && last->records > 0)
        reason(why, n, "selector for item matched nothing (last good run: "
               "%ld items)", last->items);
    if(now->has_fields && last->has_fields) {
        for(f = 0; f < CD_F__COUNT; f++) {
            if(!field_lost(now, last, (enum cd_field)f))
                continue;
            reason(why, n, "%s %s %s %ld of %ld items (last good run: "
                   "%ld of %ld)",
                   o && o->selector[f] ? "selector for" : "field",
                   cd_field_name((enum cd_field)f),
                   o && o->selector[f] ? "matched" : "present in",
                   now->fields[f], now->items, last->fields[f],
                   last->items);
        }
    }
    if(min_ratio > 0 && last->records > 0 &&
       (double)now->records < min_ratio * (double)last->records)
        reason(why, n, "%ld records, the last good run had %ld "
               "(min_ratio %g)", now->records, last->records, min_ratio);
    return why[0] != '\0';
}

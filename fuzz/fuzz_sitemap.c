/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the sitemap reader: arbitrary bytes read as a sitemap, a
 * sitemap index, a text sitemap or gzip data (by their first bytes), with
 * a callback that looks at every entry and its lastmod.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crawler/sitemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_entry(const struct cd_sitemap_entry *e, void *payload)
{
    size_t *n = payload;

    *n += strlen(e->loc) + (e->lastmod_ms >= 0) + (size_t)e->is_sitemap;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cd_error err = { 0, "" };
    size_t n = 0;

    (void)cd_sitemap_parse((const char *)data, size, "fuzz:sitemap",
                           on_entry, &n, &err);
    return 0;
}

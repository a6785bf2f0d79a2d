/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the robots.txt reader and matcher: arbitrary bytes read
 * as a robots.txt for citydir, then a few paths matched against the
 * rules (the last line of the input, when short, is matched too, so the
 * fuzzer can grow hostile paths against hostile patterns).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {
        "/", "/robots.txt", "/haendler/laden-1.html?x=1", "/a*b$",
        "/%C3%A4%2f", "",
    };
    struct cd_robots *r = NULL;
    const char *nl;
    char *last;
    size_t i;

    if(cd_robots_parse(&r, (const char *)data, size, NULL))
        return 0;
    for(i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        (void)cd_robots_allowed(r, paths[i]);
    nl = size ? memchr(data, '\n', size) : NULL;
    if(nl && size - (size_t)(nl + 1 - (const char *)data) < 4096) {
        size_t n = size - (size_t)(nl + 1 - (const char *)data);

        last = malloc(n + 1);
        if(last) {
            memcpy(last, nl + 1, n);
            last[n] = '\0';
            (void)cd_robots_allowed(r, last);
            free(last);
        }
    }
    (void)cd_robots_delay_ms(r);
    (void)cd_robots_sitemaps(r);
    cd_robots_free(r);
    return 0;
}

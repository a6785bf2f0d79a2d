/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the ckan parser: arbitrary bytes read as a CKAN
 * package_search
 * answer; the URL has rows and start, so paging is fuzzed too
 * (fuzz/opendata.h).
 */
#include "fuzz/opendata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cd_source src;
    static int ready;

    if(!ready) {
        fz_setup(&src, "ckan");
        ready = 1;
    }
    fz_run(&src, "https://fuzz.example/api?rows=2&start=4", data, size);
    return 0;
}

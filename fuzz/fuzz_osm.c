/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the osm parser: arbitrary bytes read as OpenStreetMap
 * XML or Overpass
 * JSON, with a const: field
 * (fuzz/opendata.h).
 */
#include "fuzz/opendata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cd_source src;
    static int ready;

    if(!ready) {
        fz_setup(&src, "osm");
        src.extract[CD_F_CITY] = fz_compile("const:Fuzzstadt");
        ready = 1;
    }
    fz_run(&src, "https://fuzz.example/api?rows=2&start=4", data, size);
    return 0;
}

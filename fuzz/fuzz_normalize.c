/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of normalisation and matching: the input is two records,
 * one "field=value" a line, separated by a line "--" (field names of the
 * export, as in a definition's [extract]). Both are normalised with
 * cd_normalize_place_notes() (names, addresses, phones, web, hours,
 * categories: everything a source writes goes through here) and scored
 * against each other with cd_match_score(), which must be symmetric.
 * The tables are read from ./data (CITYDIR_DATA wins), as the tests do.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/place.h"
#include "core/record.h"
#include "normalize/match.h"
#include "normalize/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fill r from the lines of text (NUL-ended, modified). */
static void fill(struct cd_record *r, char *text)
{
    char *line, *save = NULL, *eq;
    enum cd_field f;

    for(line = strtok_r(text, "\n", &save); line;
        line = strtok_r(NULL, "\n", &save)) {
        eq = strchr(line, '=');
        if(!eq)
            continue;
        *eq = '\0';
        if(!cd_field_lookup(&f, line))
            cd_record_add(r, f, eq + 1, strlen(eq + 1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cd_record ra, rb;
    struct cd_place a, b;
    struct cd_norm_notes notes;
    char *text, *sep;
    double x, y;

    if(size > 16384)
        return 0;
    text = malloc(size + 1);
    if(!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sep = strstr(text, "\n--\n");
    if(sep)
        *sep = '\0';
    memset(&notes, 0, sizeof(notes));
    cd_place_init(&a);
    cd_place_init(&b);
    if(!cd_record_init(&ra, NULL) && !cd_record_init(&rb, NULL)) {
        fill(&ra, text);
        if(sep)
            fill(&rb, sep + 4);
        if(!cd_normalize_place_notes(&a, &notes, &ra) &&
           !cd_normalize_place_notes(&b, &notes, &rb)) {
            x = cd_match_score(&a, &b, NULL);
            y = cd_match_score(&b, &a, NULL);
            if(x != y)
                abort();
        }
    }
    cd_record_dispose(&ra);
    cd_record_dispose(&rb);
    cd_place_dispose(&a);
    cd_place_dispose(&b);
    cd_strlist_dispose(&notes.unmapped);
    free(text);
    return 0;
}

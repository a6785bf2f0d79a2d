/* SPDX-License-Identifier: MIT */
/*
 * Tests of normalize/match.c: folding, name keys, name similarity, the
 * distance, and the measured quality of the matcher on the labelled set
 * tests/fixtures/matching/pairs.tsv (at least 200 pairs: the same shop or
 * two shops, with branches of chains, shops that moved, two shops in one
 * house, typos). Each pair's records go through cd_normalize_place() as a
 * crawl's would; the test prints precision and recall and fails below
 * 0.98 precision or 0.95 recall.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/place.h"
#include "core/record.h"
#include "normalize/match.h"
#include "normalize/normalize.h"

#define PAIRS "tests/fixtures/matching/pairs.tsv"

static void test_match__fold(void **state)
{
    static const char *const cases[][2] = {
        {"Bäckerei Müller", "baeckerei mueller"},
        {"BÄCKEREI MÜLLER GmbH", "baeckerei mueller gmbh"},
        {"Bäckerei  Müller", "baeckerei mueller"},
        {"Groß & Söhne", "gross soehne"},
        {"Café „Zur Post“", "cafe zur post"},
        {"Crêperie Élysée", "creperie elysee"},
        {"Dr.-Martin-Luther-Str. 7", "dr martin luther str 7"},
        {"  --  ", ""},
    };
    char *f;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(cd_match_fold(&f, cases[i][0]), 0);
        assert_string_equal(f, cases[i][1]);
        free(f);
    }
    assert_int_equal(cd_match_fold(&f, "bad \xff byte"), CD_EINVALID);
    assert_null(f);
}

static void test_match__name_keys(void **state)
{
    struct cd_strlist k = { NULL, 0 };

    (void)state;
    assert_int_equal(cd_match_name_keys(&k, "Bäckerei Müller GmbH & Co. KG"),
                     0);
    assert_int_equal(k.n, 1);
    assert_string_equal(k.v[0], "mueller");
    assert_int_equal(cd_match_name_keys(&k, "Müller-Bäckerei"), 0);
    assert_int_equal(k.n, 1);                       /* no duplicate */
    assert_int_equal(cd_match_name_keys(&k, "Apotheke am Markt"), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.v[1], "markt");
    cd_strlist_dispose(&k);
}

static void test_match__name_sim(void **state)
{
    (void)state;
    /* alike */
    assert_true(cd_match_name_sim("Bäckerei Müller", "BÄCKEREI MÜLLER") >=
                0.99);
    assert_true(cd_match_name_sim("Bäckerei Müller", "Müller Bäckerei") >=
                0.99);
    assert_true(cd_match_name_sim("Bäckerei Müller GmbH",
                                  "Baeckerei Mueller") >= 0.99);
    assert_true(cd_match_name_sim("Schmitz", "Bäckerei Schmitz") >= 0.9);
    assert_true(cd_match_name_sim("Bäckerei Schmitz", "Bäckerei Schmtiz") >=
                0.9);
    assert_true(cd_match_name_sim("Blumen-Haus Krause", "Blumenhaus Krause")
                >= 0.9);
    assert_true(cd_match_name_sim("Markt-Apotheke", "Apotheke am Markt") >=
                0.9);
    /* not alike */
    assert_true(cd_match_name_sim("Bäckerei Schmitz", "Bäckerei Schmidt") <
                0.75);
    assert_true(cd_match_name_sim("Bäckerei Müller", "Metzgerei Müller") <
                0.75);
    assert_true(cd_match_name_sim("Apotheke am Markt",
                                  "Apotheke am Rathaus") < 0.5);
    assert_true(cd_match_name_sim("Optik Krause", "Friseur Salon Bella") <
                0.5);
    assert_true(cd_match_name_sim("Bäckerei", "Bäckerei Schmitz") < 0.9);
    assert_true(cd_match_name_sim(NULL, "x") == 0);
}

static void test_match__distance(void **state)
{
    (void)state;
    assert_float_equal(cd_match_distance(51.17, 7.08, 51.17, 7.08), 0, 1e-9);
    /* 0.001 degree of latitude is 111.2 m */
    assert_float_equal(cd_match_distance(51.17, 7.08, 51.171, 7.08), 111.2,
                       0.1);
    /* Solingen to Wuppertal, about 13.7 km */
    assert_float_equal(cd_match_distance(51.1652, 7.0671, 51.2562, 7.1508),
                       11800, 1500);
}

/* A record from the six columns name, address, lat, lon, phone, website,
 * normalised into p. */
static void pair_place(struct cd_place *p, char **col)
{
    static const enum cd_field f[] = { CD_F_NAME, CD_F_ADDRESS, CD_F_LAT,
                                       CD_F_LON, CD_F_PHONE, CD_F_WEBSITE };
    struct cd_record r;
    size_t i;

    assert_int_equal(cd_record_init(&r, "https://example.de/"), 0);
    for(i = 0; i < 6; i++) {
        if(col[i][0])
            assert_int_equal(cd_record_add(&r, f[i], col[i],
                                           strlen(col[i])), 0);
    }
    cd_place_init(p);
    assert_int_equal(cd_normalize_place(p, &r), 0);
    cd_record_dispose(&r);
}

/* Split a line at tabs into at most max columns, in place. */
static size_t split(char **col, size_t max, char *line)
{
    size_t n = 0;
    char *t;

    line[strcspn(line, "\r\n")] = '\0';
    while(n < max) {
        col[n++] = line;
        t = strchr(line, '\t');
        if(!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static void test_match__labelled_set(void **state)
{
    char line[2048], *col[16];
    struct cd_match_detail why;
    struct cd_place a, b;
    long tp = 0, fp = 0, fn = 0, tn = 0;
    double precision, recall;
    FILE *f;
    int same, said;

    (void)state;
    f = fopen(PAIRS, "r");
    assert_non_null(f);
    while(fgets(line, sizeof(line), f)) {
        if(line[0] == '#' || !strncmp(line, "label\t", 6))
            continue;
        assert_int_equal(split(col, 16, line), 14);
        same = !strcmp(col[0], "same");
        pair_place(&a, col + 2);
        pair_place(&b, col + 8);
        said = cd_match_score(&a, &b, &why) >= CD_MATCH_THRESHOLD;
        assert_true(cd_match_score(&b, &a, NULL) == why.total);
        if(said != same)
            fprintf(stderr, "  %s: %s | %s: score %.1f (name %.2f %.1f, "
                    "place %.1f at %.0f m, phone %.1f, web %.1f)\n",
                    col[1], a.name, b.name, why.total, why.name_sim,
                    why.name, why.location, why.distance_m, why.phone,
                    why.web);
        tp += same && said;
        fp += !same && said;
        fn += same && !said;
        tn += !same && !said;
        cd_place_dispose(&a);
        cd_place_dispose(&b);
    }
    fclose(f);
    precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    fprintf(stderr, "  matching: %ld pairs, precision %.3f, recall %.3f "
            "(%ld true, %ld false positive, %ld false negative, %ld true "
            "negative)\n", tp + fp + fn + tn, precision, recall, tp, fp, fn,
            tn);
    assert_true(tp + fp + fn + tn >= 200);
    assert_true(precision >= 0.98);
    assert_true(recall >= 0.95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match__fold),
        cmocka_unit_test(test_match__name_keys),
        cmocka_unit_test(test_match__name_sim),
        cmocka_unit_test(test_match__distance),
        cmocka_unit_test(test_match__labelled_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

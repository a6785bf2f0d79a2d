/* SPDX-License-Identifier: MIT */
/*
 * Tests of normalize/: one table of real-world spellings per normaliser
 * (text, address, street, postcode, house number, coordinates, yes/no,
 * wheelchair, phone, e-mail, website, opening hours, categories), with the
 * values that must be refused, and cd_normalize_place() on whole records.
 *
 * Some inputs are copied from public test suites, marked where they are
 * used: opening-hours/opening_hours.js test/test.de.log (CC0-1.0, via
 * /work/shared/realdata/opening_hours_de.txt) and pelias/parser
 * test/address.deu.test.js (MIT, "Copyright (c) 2019 Pelias
 * Contributors", via /work/shared/realdata/addresses_de.tsv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/place.h"
#include "core/record.h"
#include "normalize/normalize.h"

/* Compare a result with the expected value; NULL means "not set". */
static void check_str(const char *what, const char *in, const char *want,
                      const char *got)
{
    if(want && got && !strcmp(want, got))
        return;
    if(!want && !got)
        return;
    print_error("%s(\"%s\"): want [%s], got [%s]\n", what, in,
                want ? want : "NULL", got ? got : "NULL");
    fail();
}

/* A case of a function that returns one string. */
struct str_case {
    const char *in;
    int rc;            /* 0 or the expected error */
    const char *want;  /* when rc is 0 */
};

typedef int str_fn(char **out, const char *s);

static void run_str_cases(const char *what, str_fn *fn,
                          const struct str_case *c, size_t n)
{
    size_t i;
    char *out;
    int rc;

    for(i = 0; i < n; i++) {
        out = (char *)"sentinel";
        rc = fn(&out, c[i].in);
        if(rc != c[i].rc) {
            print_error("%s(\"%s\"): rc %d, want %d (out [%s])\n", what,
                        c[i].in, rc, c[i].rc, rc ? "" : out);
            fail();
        }
        if(rc) {
            assert_null(out);
            continue;
        }
        check_str(what, c[i].in, c[i].want, out);
        free(out);
    }
}

#define RUN(fn, cases) \
    run_str_cases(#fn, fn, cases, sizeof(cases) / sizeof((cases)[0]))

/* ---------------------------------------------------------------------- */
/* text */

static const struct str_case text_cases[] = {
    {"B\xc3\xa4" "ckerei M\xc3\xbcller", 0,
     "B\xc3\xa4" "ckerei M\xc3\xbcller"},
    {"  Caf\xc3\xa9   am  Markt \n", 0, "Caf\xc3\xa9 am Markt"},
    {"Blumen\xc2\xa0" "Schmidt", 0, "Blumen Schmidt"},         /* NBSP */
    {"\tOptik\r\nKrause\t", 0, "Optik Krause"},
    {"Haus\xe2\x80\x83" "der\xe2\x80\xaf" "Mode", 0, "Haus der Mode"},
    {"Schuh\xc2\xad" "haus", 0, "Schuhhaus"},             /* soft hyphen */
    {"\xef\xbb\xbf" "Kiosk", 0, "Kiosk"},                         /* BOM */
    {"Zero\xe2\x80\x8bwidth", 0, "Zerowidth"},
    {"\xe3\x80\x80Ideo\xe3\x80\x80", 0, "Ideo"},              /* U+3000 */
    {"\xe2\x80\x9eGute Stube\xe2\x80\x9c", 0,
     "\xe2\x80\x9eGute Stube\xe2\x80\x9c"},               /* quotes kept */
    {"Latin1 B\xe4" "cker", 0, "Latin1 B\xef\xbf\xbd" "cker"},
    {"over\xc0\xaflong", 0, "over\xef\xbf\xbd\xef\xbf\xbdlong"},
    {"a", 0, "a"},
    {"   ", CD_EINVALID, NULL},
    {"\xc2\xa0\xe2\x80\x89", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__text(void **state)
{
    char *out = (char *)"x";

    (void)state;
    RUN(cd_norm_text, text_cases);
    assert_int_equal(cd_norm_text(&out, NULL), CD_EINVALID);
    assert_null(out);
}

/* names: NFC, apostrophes, quotes; the case as written */

static const struct str_case name_cases[] = {
    {"Bäckerei Müller", 0, "Bäckerei Müller"},
    {"Ba\xcc\x88" "ckerei Mu\xcc\x88" "ller", 0,             /* NFD */
     "Bäckerei Müller"},
    {"  Café   am  Markt ", 0, "Café am Markt"},
    {"Cafe\xcc\x81 Kranzler", 0, "Café Kranzler"},
    {"Cre\xcc\x82perie E\xcc\x81lyse\xcc\x81" "e", 0, "Crêperie Élysée"},
    {"Ångström Optik", 0, "Ångström Optik"},
    {"Müller´s Backstube", 0, "Müller's Backstube"},
    {"Müller’s Backstube", 0, "Müller's Backstube"},
    {"Müller`s Backstube", 0, "Müller's Backstube"},
    {"Müller‘s Backstube", 0, "Müller's Backstube"},
    {"Willi's Imbiss", 0, "Willi's Imbiss"},
    {"L’Osteria", 0, "L'Osteria"},
    {"L'Osteria", 0, "L'Osteria"},
    {"Rock 'n' Roll Bar", 0, "Rock 'n' Roll Bar"},
    {"Café \"Zur Post\"", 0, "Café „Zur Post“"},
    {"Café „Zur Post“", 0, "Café „Zur Post“"},
    {"Café “Zur Post”", 0, "Café „Zur Post“"},
    {"Café «Zur Post»", 0, "Café „Zur Post“"},
    {"Café »Zur Post«", 0, "Café „Zur Post“"},
    {"Café \" Zur Post \"", 0, "Café „Zur Post“"},
    {"Zum ″Goldenen Hirsch″", 0, "Zum „Goldenen Hirsch“"},
    {"Friseur \"Haarscharf\" Inh. K. Bick", 0,
     "Friseur „Haarscharf“ Inh. K. Bick"},
    {"Gasthaus \"Zum Löwen\" & Hotel", 0,
     "Gasthaus „Zum Löwen“ & Hotel"},
    {"\"Blumen\" \"Krause\"", 0, "„Blumen“ „Krause“"},
    {"\"Gute Stube\"", 0, "Gute Stube"},
    {"„Gute Stube“", 0, "Gute Stube"},
    {"“Gute Stube”", 0, "Gute Stube"},
    {" \" Gute Stube \" ", 0, "Gute Stube"},
    {"Der \"Laden", 0, "Der \"Laden"},                   /* unpaired */
    {"BÄCKEREI MÜLLER", 0, "BÄCKEREI MÜLLER"},         /* case kept */
    {"bäckerei müller", 0, "bäckerei müller"},
    {"dm-drogerie markt", 0, "dm-drogerie markt"},
    {"Apotheke am Markt e.K.", 0, "Apotheke am Markt e.K."},
    {"Schmitz GmbH & Co. KG", 0, "Schmitz GmbH & Co. KG"},
    {"Blumen\xc2\xa0Schmidt", 0, "Blumen Schmidt"},
    {"Optik\tKrause", 0, "Optik Krause"},
    {"Schuh\xc2\xad" "haus Kuhn", 0, "Schuhhaus Kuhn"},
    {"\xef\xbb\xbfKiosk am Bahnhof", 0, "Kiosk am Bahnhof"},
    {"Eiscafé Venezia – seit 1965", 0, "Eiscafé Venezia – seit 1965"},
    {"Trattoria Da Mario", 0, "Trattoria Da Mario"},
    {"Straßen\xc2\xad" "café", 0, "Straßencafé"},
    {"Latin1 B\xe4" "cker", 0, "Latin1 B\xef\xbf\xbd" "cker"},
    {"\"\"", CD_EINVALID, NULL},
    {"   ", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__name(void **state)
{
    (void)state;
    RUN(cd_norm_name, name_cases);
}

/* ---------------------------------------------------------------------- */
/* addresses */

struct addr_case {
    const char *in;
    int rc;
    const char *street, *hn, *postcode, *city;
};

static const struct addr_case addr_cases[] = {
    {"Hauptstr. 12a", 0, "Hauptstraße", "12a", NULL, NULL},
    {"Hauptstraße 12 a", 0, "Hauptstraße", "12a", NULL, NULL},
    {"Hauptstrasse 12-14", 0, "Hauptstrasse", "12-14", NULL, NULL},
    {"Am Markt 3, 42651 Solingen", 0, "Am Markt", "3", "42651", "Solingen"},
    {"Grünewalder Str. 29-31, 42657 Solingen-Wald", 0,
     "Grünewalder Straße", "29-31", "42657", "Solingen-Wald"},
    {"Kölner Straße 5 / Ecke Hauptstr.", 0, "Kölner Straße", "5", NULL,
     NULL},
    {"Kölner Straße 5 Ecke Hauptstraße, 42651 Solingen", 0,
     "Kölner Straße", "5", "42651", "Solingen"},
    {"42651 Solingen", 0, NULL, NULL, "42651", "Solingen"},
    {"D-42651 Solingen", 0, NULL, NULL, "42651", "Solingen"},
    {"Hauptstr.12", 0, "Hauptstraße", "12", NULL, NULL},
    {"Hauptstraße Nr. 5", 0, "Hauptstraße", "5", NULL, NULL},
    {"Straße des 17. Juni 5, 10623 Berlin", 0, "Straße des 17. Juni", "5",
     "10623", "Berlin"},
    {"Dr.-Martin-Luther-Str. 7 (Hinterhof), 42651 Solingen", 0,
     "Dr.-Martin-Luther-Straße", "7", "42651", "Solingen"},
    {"Hauptstr. 5 / 7, 42651 Solingen", 0, "Hauptstraße", "5/7", "42651",
     "Solingen"},
    {"Am Markt 3; 42651 Solingen; Deutschland", 0, "Am Markt", "3", "42651",
     "Solingen"},
    {"Neumarkt 12 – 14, 42103 Wuppertal", 0, "Neumarkt", "12-14", "42103",
     "Wuppertal"},
    {"Porschestr. 1, 38440 Wolfsburg", 0, "Porschestraße", "1", "38440",
     "Wolfsburg"},
    {"Alleestraße 40\n42853 Remscheid", 0, "Alleestraße", "40", "42853",
     "Remscheid"},
    {"Rathausplatz", 0, "Rathausplatz", NULL, NULL, NULL},
    /* pelias/parser test/address.deu.test.js (MIT); "Falkpl." written out */
    {"Am Falkpl. 5, 10437 Berlin", 0, "Am Falkplatz", "5", "10437",
     "Berlin"},
    {"Am Nordkanal 11, 47877 Willich", 0, "Am Nordkanal", "11", "47877",
     "Willich"},
    {"Am Bürgerpark 15-18, 13156, Berlin", 0, "Am Bürgerpark", "15-18",
     "13156", "Berlin"},
    {"Kaschk Bar, Linienstraße 40 10119 Berlin", 0, "Linienstraße", "40",
     "10119", "Berlin"},
    {"Genter Straße 16a, Munich, Germany", 0, "Genter Straße", "16a", NULL,
     "Munich"},
    {"Esplanade 17, Berlin", 0, "Esplanade", "17", NULL, "Berlin"},
    {"Esplanade, Berlin", 0, "Esplanade", NULL, NULL, "Berlin"},
    {"Dorfstrasse", 0, "Dorfstrasse", NULL, NULL, NULL},
    /* refused rather than guessed: which number is the house's? */
    {"Eberswalder Straße 100 104", CD_EINVALID, NULL, NULL, NULL, NULL},
    {"Postfach 12 34", CD_EINVALID, NULL, NULL, NULL, NULL},
    {"   ", CD_EINVALID, NULL, NULL, NULL, NULL},
    /* a postcode must be five digits: this is no street either */
    {"4265 Solingen", CD_EINVALID, NULL, NULL, NULL, NULL},
};

static void test_normalize__address(void **state)
{
    size_t i;
    char *st, *hn, *pc, *ci;
    int rc;

    (void)state;
    for(i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]); i++) {
        const struct addr_case *c = &addr_cases[i];

        rc = cd_norm_address(&st, &hn, &pc, &ci, c->in);
        if(rc != c->rc) {
            print_error("cd_norm_address(\"%s\"): rc %d, want %d\n", c->in,
                        rc, c->rc);
            fail();
        }
        check_str("street", c->in, c->street, st);
        check_str("housenumber", c->in, c->hn, hn);
        check_str("postcode", c->in, c->postcode, pc);
        check_str("city", c->in, c->city, ci);
        free(st);
        free(hn);
        free(pc);
        free(ci);
    }
    /* outs not wanted may be NULL */
    assert_int_equal(cd_norm_address(NULL, NULL, &pc, NULL,
                                     "Am Markt 3, 42651 Solingen"), 0);
    assert_string_equal(pc, "42651");
    free(pc);
}

static const struct str_case street_cases[] = {
    {"Hauptstr.", 0, "Hauptstraße"},
    {"Kölner Str.", 0, "Kölner Straße"},
    {"Kölner Str", 0, "Kölner Straße"},
    {"Hauptstr", 0, "Hauptstraße"},
    {"Martin-Luther-Str.", 0, "Martin-Luther-Straße"},
    {"Str. des 17. Juni", 0, "Straße des 17. Juni"},
    {"Neumarktpl.", 0, "Neumarktplatz"},
    {"Am Alten Pl.", 0, "Am Alten Platz"},
    {"  Hauptstraße  ", 0, "Hauptstraße"},
    {"Hauptstrasse", 0, "Hauptstrasse"},             /* left as written */
    {"Strandweg", 0, "Strandweg"},
    {"B 229", 0, "B 229"},
    {"", CD_EINVALID, NULL},
};

static const struct str_case postcode_cases[] = {
    {"42651", 0, "42651"},
    {" 42651 ", 0, "42651"},
    {"D-42651", 0, "42651"},
    {"DE-38440", 0, "38440"},
    {"01067", 0, "01067"},
    {"4265", CD_EINVALID, NULL},
    {"426511", CD_EINVALID, NULL},
    {"42651 Solingen", CD_EINVALID, NULL},
    {"00123", CD_EINVALID, NULL},
    {"4265l", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static const struct str_case hn_cases[] = {
    {"12", 0, "12"},
    {"12a", 0, "12a"},
    {"12 a", 0, "12a"},
    {"12 - 14", 0, "12-14"},
    {"12–14", 0, "12-14"},
    {"5/7", 0, "5/7"},
    {"Nr. 3", 0, "3"},
    {"12ab", CD_EINVALID, NULL},
    {"Hinterhaus", CD_EINVALID, NULL},
    {"12345", CD_EINVALID, NULL},
};

static void test_normalize__address_parts(void **state)
{
    (void)state;
    RUN(cd_norm_street, street_cases);
    RUN(cd_norm_postcode, postcode_cases);
    RUN(cd_norm_housenumber, hn_cases);
}

/* ---------------------------------------------------------------------- */
/* coordinates */

struct geo_case {
    const char *in;
    int is_lat;
    int rc;
    double want;
};

static const struct geo_case geo_cases[] = {
    {"51.1705", 1, 0, 51.1705},
    {"51,1705", 1, 0, 51.1705},
    {" +51.1705 ", 1, 0, 51.1705},
    {"51.1705° N", 1, 0, 51.1705},
    {"N 51.1705", 1, 0, 51.1705},
    {"33.9 S", 1, 0, -33.9},
    {"\xe2\x88\x92" "33.9", 1, 0, -33.9},               /* U+2212 minus */
    {"51°10'13.8\"N", 1, 0, 51.1705},
    {"51° 10′ 13.8″ N", 1, 0, 51.1705},
    {"-90", 1, 0, -90},
    {"7.0838", 0, 0, 7.0838},
    {"7,0838", 0, 0, 7.0838},
    {"7.0838° E", 0, 0, 7.0838},
    {"7.0838 O", 0, 0, 7.0838},
    {"7.0838 W", 0, 0, -7.0838},
    {"-180", 0, 0, -180},
    {"51.17050", 1, 0, 51.1705},
    {"51,17050000", 1, 0, 51.1705},
    {"51.1705N", 1, 0, 51.1705},
    {"51.1705 n", 1, 0, 51.1705},
    {"7.0838E", 0, 0, 7.0838},
    {"7,0838 Ost", 0, CD_EINVALID, 0},
    {"+7.0838", 0, 0, 7.0838},
    {"51", 1, 0, 51},
    {"7", 0, 0, 7},
    {"51°", 1, 0, 51},
    {"51° 10.23' N", 1, 0, 51.1705},
    {"  7.0838  ", 0, 0, 7.0838},
    {"51.1705,", 1, CD_EINVALID, 0},
    {"N/A", 1, CD_EINVALID, 0},
    {"91", 1, CD_EINVALID, 0},
    {"180.0001", 0, CD_EINVALID, 0},
    {"51.1705 E", 1, CD_EINVALID, 0},                   /* wrong axis */
    {"7.0838 N", 0, CD_EINVALID, 0},
    {"-51.17 S", 1, CD_EINVALID, 0},                  /* sign twice */
    {"51°61'N", 1, CD_EINVALID, 0},
    {"51.17.05", 1, CD_EINVALID, 0},
    {"1.234,5", 0, CD_EINVALID, 0},
    {"1234", 0, CD_EINVALID, 0},
    {"abc", 1, CD_EINVALID, 0},
    {"", 1, CD_EINVALID, 0},
};

static void test_normalize__coord(void **state)
{
    size_t i;
    double d;
    int rc;

    (void)state;
    for(i = 0; i < sizeof(geo_cases) / sizeof(geo_cases[0]); i++) {
        d = 12345;
        rc = cd_norm_coord(&d, geo_cases[i].in, geo_cases[i].is_lat);
        if(rc != geo_cases[i].rc) {
            print_error("cd_norm_coord(\"%s\"): rc %d, want %d\n",
                        geo_cases[i].in, rc, geo_cases[i].rc);
            fail();
        }
        if(!rc)
            assert_float_equal(d, geo_cases[i].want, 1e-6);
        else
            assert_float_equal(d, 12345, 0);      /* untouched on error */
    }
}

/* ---------------------------------------------------------------------- */
/* yes/no and wheelchair */

struct bool_case {
    const char *in;
    int rc;
    int want;
};

static const struct bool_case bool_cases[] = {
    {"ja", 0, CD_TRI_YES},       {"Ja", 0, CD_TRI_YES},
    {" JA! ", 0, CD_TRI_YES},    {"yes", 0, CD_TRI_YES},
    {"true", 0, CD_TRI_YES},     {"1", 0, CD_TRI_YES},
    {"x", 0, CD_TRI_YES},        {"X", 0, CD_TRI_YES},
    {"\xe2\x9c\x93", 0, CD_TRI_YES},
    {"\xe2\x9c\x94", 0, CD_TRI_YES},
    {"vorhanden", 0, CD_TRI_YES}, {"Möglich", 0, CD_TRI_YES},
    {"nein", 0, CD_TRI_NO},      {"Nein.", 0, CD_TRI_NO},
    {"no", 0, CD_TRI_NO},        {"false", 0, CD_TRI_NO},
    {"0", 0, CD_TRI_NO},         {"nicht vorhanden", 0, CD_TRI_NO},
    {"\xe2\x9c\x97", 0, CD_TRI_NO},
    {"JA", 0, CD_TRI_YES},       {"Yes", 0, CD_TRI_YES},
    {"NEIN", 0, CD_TRI_NO},      {"No", 0, CD_TRI_NO},
    {"FALSE", 0, CD_TRI_NO},
    {"Lieferung nach Absprache", CD_EINVALID, 0},
    {"vielleicht", CD_EINVALID, 0},
    {"2", CD_EINVALID, 0},
    {"", CD_EINVALID, 0},
};

static const struct str_case wheelchair_cases[] = {
    {"yes", 0, "yes"},
    {"Ja", 0, "yes"},
    {"rollstuhlgerecht", 0, "yes"},
    {"Barrierefrei", 0, "yes"},
    {"limited", 0, "limited"},
    {"eingeschränkt", 0, "limited"},
    {"Eingeschränkt barrierefrei", 0, "limited"},
    {"teilweise", 0, "limited"},
    {"no", 0, "no"},
    {"Nein", 0, "no"},
    {"nicht barrierefrei", 0, "no"},
    {"Stufe am Eingang", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__bool(void **state)
{
    size_t i;
    int v, rc;

    (void)state;
    for(i = 0; i < sizeof(bool_cases) / sizeof(bool_cases[0]); i++) {
        v = 42;
        rc = cd_norm_bool(&v, bool_cases[i].in);
        if(rc != bool_cases[i].rc ||
           (!rc && v != bool_cases[i].want)) {
            print_error("cd_norm_bool(\"%s\"): rc %d v %d\n",
                        bool_cases[i].in, rc, v);
            fail();
        }
    }
    RUN(cd_norm_wheelchair, wheelchair_cases);
}

/* ---------------------------------------------------------------------- */
/* phone */

static const struct str_case phone_cases[] = {
    {"0212 / 12 34 56", 0, "+49 212 123456"},
    {"(0212) 123456", 0, "+49 212 123456"},
    {"(0212)123456", 0, "+49 212 123456"},
    {"+49 (0)212 123456", 0, "+49 212 123456"},
    {"+49(0)212-123456", 0, "+49 212 123456"},
    {"0049 212 123456", 0, "+49 212 123456"},
    {"0049 (0)212 123456", 0, "+49 212 123456"},
    {"+49 0212 123456", 0, "+49 212 123456"},
    {"0171-1234567", 0, "+49 171 1234567"},
    {"0151 12345678", 0, "+49 151 12345678"},
    {"+49-160-1234567", 0, "+49 160 1234567"},
    {"tel:+492121234567", 0, "+49 212 1234567"},
    {"Tel.: 0212 123456", 0, "+49 212 123456"},
    {"Telefon: 02191-12345", 0, "+49 2191 12345"},
    {"05361/123456", 0, "+49 5361 123456"},
    {"+49 5361 12345", 0, "+49 5361 12345"},
    {"030 12345678", 0, "+49 30 12345678"},
    {"+49 30 1234 5678", 0, "+49 30 12345678"},
    {"0221.123456", 0, "+49 221 123456"},
    {"0202 / 2 34 56", 0, "+49 202 23456"},
    {"02129 12345", 0, "+49 2129 12345"},          /* Haan, not 0212 */
    {"0212-948731", 0, "+49 212 948731"},     /* split after 0212 wins */
    {"+49 (0)212 9108867", 0, "+49 212 9108867"},
    {"02129108867", 0, "+49 2129 108867"},   /* no split: longest code */
    {"+4921291234567", 0, "+49 2129 1234567"},
    {"0212 123456-0", 0, "+49 212 1234560"},
    /* not in the built-in list: the source's split is kept ... */
    {"02171 / 123456", 0, "+49 2171 123456"},
    {"+49 2171 123456", 0, "+49 2171 123456"},
    /* ... and without one the number is not split */
    {"+492171123456", 0, "+49 2171123456"},
    {"+31 20 123 4567", 0, "+31 20 123 4567"},
    {"+31 (0)20 1234567", 0, "+31 20 1234567"},
    /* refused */
    {"abc", CD_EINVALID, NULL},
    {"Fax 0212 123456", CD_EINVALID, NULL},
    {"123456", CD_EINVALID, NULL},                  /* no area code */
    {"0212 12", CD_EINVALID, NULL},                 /* too short */
    {"02 12", CD_EINVALID, NULL},
    {"+49 212 123456789012345", CD_EINVALID, NULL},  /* too long */
    {"0212 123456 ext. 3", CD_EINVALID, NULL},
    {"0212 (12) (34)", CD_EINVALID, NULL},
    {"0212 12+3456", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__phone(void **state)
{
    (void)state;
    RUN(cd_norm_phone, phone_cases);
}

/* ---------------------------------------------------------------------- */
/* e-mail and website */

static const struct str_case email_cases[] = {
    {"info@example.de", 0, "info@example.de"},
    {"mailto:Info@Example.DE", 0, "Info@example.de"},
    {"MAILTO:info@example.de", 0, "info@example.de"},
    {"mailto:info@example.de?subject=Hallo", 0, "info@example.de"},
    {" <info@example.de> ", 0, "info@example.de"},
    {"info(at)baeckerei.de", 0, "info@baeckerei.de"},
    {"info [at] baeckerei [dot] de", 0, "info@baeckerei.de"},
    {"in.fo+tag@sub.example.de", 0, "in.fo+tag@sub.example.de"},
    {"info@@example.de", CD_EINVALID, NULL},
    {"info@example", CD_EINVALID, NULL},
    {"@example.de", CD_EINVALID, NULL},
    {"info@example..de", CD_EINVALID, NULL},
    {"info x@example.de", CD_EINVALID, NULL},
    {"Kontakt: info@example.de", CD_EINVALID, NULL},
    {"info@example.d", CD_EINVALID, NULL},
    {"Info@Bäckerei-Müller.DE", 0, "Info@bäckerei-müller.de"},
    {"kontakt@optik-krause.de ", 0, "kontakt@optik-krause.de"},
    {"mailto:kontakt@blumen-roth.de", 0, "kontakt@blumen-roth.de"},
    {"bestellung@stadtbaeckerei.example", 0,
     "bestellung@stadtbaeckerei.example"},
    {"", CD_EINVALID, NULL},
};

static const struct str_case website_cases[] = {
    {"www.Baeckerei-Mueller.DE", 0, "https://www.baeckerei-mueller.de/"},
    {"https://WWW.Example.DE/Shop?utm_source=fb&id=3&fbclid=abc", 0,
     "https://www.example.de/Shop?id=3"},
    {"https://example.de/?utm_campaign=x&utm_medium=y", 0,
     "https://example.de/"},
    {"https://example.de/p?gclid=1&a=b", 0, "https://example.de/p?a=b"},
    {"http://example.de", 0, "http://example.de/"},
    {"HTTPS://EXAMPLE.DE/Path/", 0, "https://example.de/Path/"},
    {"example.de/kontakt#anfahrt", 0, "https://example.de/kontakt#anfahrt"},
    {"//cdn.example.de/x", 0, "https://cdn.example.de/x"},
    {"https://BÄCKEREI.de", 0, "https://bäckerei.de/"},
    {"mailto:info@example.de", CD_EINVALID, NULL},
    {"info@example.de", CD_EINVALID, NULL},
    {"javascript:void(0)", CD_EINVALID, NULL},
    {"ftp://example.de", CD_EINVALID, NULL},
    {"https://localhost/", CD_EINVALID, NULL},
    {"www.example.de (Onlineshop)", CD_EINVALID, NULL},
    {"https://www.kamps.de/filialen/solingen?utm_medium=app", 0,
     "https://www.kamps.de/filialen/solingen"},
    {"http://www.blumen-roth.de/?fbclid=IwAR0abc", 0,
     "http://www.blumen-roth.de/"},
    {"www.optik-krause.de/", 0, "https://www.optik-krause.de/"},
    {"https://optik-krause.de/#oeffnungszeiten", 0,
     "https://optik-krause.de/#oeffnungszeiten"},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__email(void **state)
{
    (void)state;
    RUN(cd_norm_email, email_cases);
}

static void test_normalize__website(void **state)
{
    (void)state;
    RUN(cd_norm_website, website_cases);
}

/* ---------------------------------------------------------------------- */
/* opening hours */

static const struct str_case hours_cases[] = {
    {"Mo-Fr 9-18 Uhr", 0, "Mo-Fr 09:00-18:00"},
    {"Mo.–Fr. 09.00 – 18.00 Uhr, Sa. 9 – 14 Uhr", 0,
     "Mo-Fr 09:00-18:00; Sa 09:00-14:00"},
    {"Di-Fr 9-13 und 14:30-18 Uhr", 0, "Tu-Fr 09:00-13:00,14:30-18:00"},
    {"täglich 7-22 Uhr", 0, "Mo-Su 07:00-22:00"},
    {"durchgehend geöffnet", 0, "24/7"},
    {"24/7", 0, "24/7"},
    {"rund um die Uhr", 0, "24/7"},
    {"Mo-So 0-24 Uhr", 0, "24/7"},
    {"Montag bis Freitag von 9 bis 18 Uhr", 0, "Mo-Fr 09:00-18:00"},
    {"Mo bis Fr 9 bis 18 Uhr", 0, "Mo-Fr 09:00-18:00"},
    {"Mo, Mi, Fr 8-12", 0, "Mo,We,Fr 08:00-12:00"},
    {"Di., Do. 9 - 12 Uhr", 0, "Tu,Th 09:00-12:00"},
    {"Sa + So 10-16", 0, "Sa,Su 10:00-16:00"},
    {"Mo-Sa 9-18 Uhr, Mittwoch Ruhetag", 0,
     "Mo,Tu,Th-Sa 09:00-18:00; We off"},
    {"Mo-Fr 9-18 Uhr, Mi 9-13 Uhr", 0,
     "Mo,Tu,Th,Fr 09:00-18:00; We 09:00-13:00"},
    {"Mo-Fr 8:00-12:30 Uhr und 14:30-18:00 Uhr, Sa 8-13 Uhr", 0,
     "Mo-Fr 08:00-12:30,14:30-18:00; Sa 08:00-13:00"},
    {"Mo - Fr 9.00 - 12.30 / 14.30 - 18.00", 0,
     "Mo-Fr 09:00-12:30,14:30-18:00"},
    {"Mo - Do 8.30-17 Uhr, Fr 8.30-15 Uhr", 0,
     "Mo-Th 08:30-17:00; Fr 08:30-15:00"},
    {"Mo-Fr 9-18 Uhr, Sa 9-14 Uhr, So und Feiertage geschlossen", 0,
     "Mo-Fr 09:00-18:00; Sa 09:00-14:00; Su off; PH off"},
    {"Öffnungszeiten: Mo-Fr 10-19 Uhr", 0, "Mo-Fr 10:00-19:00"},
    {"Mo-Fr 9h-18h", 0, "Mo-Fr 09:00-18:00"},
    {"Mo-Fr 22-2 Uhr", 0, "Mo-Fr 22:00-02:00"},
    {"Fr-Mo 10-18", 0, "Mo,Fr-Su 10:00-18:00"},
    /* already OSM: unchanged */
    {"Mo-Fr 09:00-18:00; Sa 09:00-14:00", 0,
     "Mo-Fr 09:00-18:00; Sa 09:00-14:00"},
    {"Mo-Fr 09:00-18:00; PH off", 0, "Mo-Fr 09:00-18:00; PH off"},
    {"Mo-Fr 09:00-18:00;Sa 09:00-14:00", 0,
     "Mo-Fr 09:00-18:00; Sa 09:00-14:00"},
    /* opening_hours.js test/test.de.log (CC0-1.0) */
    {"Montags 07:00-18:00", 0, "Mo 07:00-18:00"},
    {"Mo – Fr: 9 – 12 Uhr und Mo, Di, Do: 15 – 18 Uhr", 0,
     "Mo,Tu,Th 09:00-12:00,15:00-18:00; We,Fr 09:00-12:00"},
    {"Mo: geschlossen, Di: 14-18Uhr, Mi-Sa: 10-18Uhr", 0,
     "Mo off; Tu 14:00-18:00; We-Sa 10:00-18:00"},
    {"Öffnungszeiten: nonstop geöffnet", 0, "24/7"},
    {"Mo 7-18", 0, "Mo 07:00-18:00"},
    {"Mo 12:00–14:00", 0, "Mo 12:00-14:00"},
    {"Mo,Th,Sa,Su 10:00-12:00", 0, "Mo,Th,Sa,Su 10:00-12:00"},
    {"10:00-12:00;", 0, "10:00-12:00"},
    {"Mo-Fr 08:00-12:00, We 14:00-18:00", 0,
     "Mo,Tu,Th,Fr 08:00-12:00; We 08:00-12:00,14:00-18:00"},
    {"Montag-Sonntag", CD_EINVALID, NULL},
    {"Montags bis sonntags", CD_EINVALID, NULL},
    {"täglich", CD_EINVALID, NULL},
    {"17:00 bis Open End", CD_EINVALID, NULL},
    {"mon, Dienstag, Mi, donnerstag 12:00-20:00; 14:00-16:00 off",
     CD_EINVALID, NULL},
    {"Mo-Th 09:00-12:00; Fr 14:00-17:30 || \"Termine nach Vereinbarung\"; "
     "We off", CD_EINVALID, NULL},
    {"We off; Mo,Tu,Th-Su,PH; Frühling We 11:00-14:00,17:00+", CD_EINVALID,
     NULL},
    {"Mo 12:00~14:00", CD_EINVALID, NULL},
    /* refused: unclear, so not guessed */
    {"Mittwoch Ruhetag", CD_EINVALID, NULL},
    {"Sonn- und Feiertags geschlossen", CD_EINVALID, NULL},
    {"Mo-Fr 9-18 Uhr, Sa nach Vereinbarung", CD_EINVALID, NULL},
    {"ab 9 Uhr", CD_EINVALID, NULL},
    {"9-18 Uhr", CD_EINVALID, NULL},
    {"Mo-Fr 9 Uhr", CD_EINVALID, NULL},
    {"Mo-Fr 9-25", CD_EINVALID, NULL},
    {"Mo-Fr 9:75-18", CD_EINVALID, NULL},
    {"Mo-Fr 9-18 und", CD_EINVALID, NULL},
    {"Mo-Fr 9-9", CD_EINVALID, NULL},
    {"Werktags 9-18 Uhr", CD_EINVALID, NULL},
    {"Mo-Fr 9-18 (außer Ferien)", CD_EINVALID, NULL},
    {"", CD_EINVALID, NULL},
};

static void test_normalize__hours(void **state)
{
    size_t i;

    (void)state;
    RUN(cd_norm_hours, hours_cases);
    /* whatever we write, the validator accepts */
    for(i = 0; i < sizeof(hours_cases) / sizeof(hours_cases[0]); i++) {
        if(!hours_cases[i].rc)
            assert_true(cd_norm_hours_valid(hours_cases[i].want));
    }
}

static void test_normalize__hours_valid(void **state)
{
    static const char *const good[] = {
        "24/7", "Mo-Fr 09:00-18:00", "Mo,We,Fr 08:00-12:00",
        "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-13:00", "We off",
        "Mo-Fr 09:00-18:00; PH off", "PH 10:00-12:00", "10:00-12:00",
        "Fr-Mo 22:00-02:00", "Mo 00:00-24:00", NULL};
    static const char *const bad[] = {
        "", "Mo-Fr", "Mo-Fr 9:00-18:00", "Mo-Fr 09:00-18:00;",
        "Mo-Fr 09:00-18:00;Sa 09:00-14:00", "Mo-Fr  09:00-18:00",
        "Mo-Fr 09:00-24:30", "Mo 24:00-02:00", "Mo 10:00-10:00",
        "Mo-Mo 10:00-12:00", "Xy 10:00-12:00", "Mo 10:00-12:00 off",
        "Mo 10:00+", "sunrise-sunset", "Mo 10:00-12:00,", "off;", NULL};
    size_t i;

    (void)state;
    for(i = 0; good[i]; i++) {
        if(!cd_norm_hours_valid(good[i])) {
            print_error("valid: \"%s\" refused\n", good[i]);
            fail();
        }
    }
    for(i = 0; bad[i]; i++) {
        if(cd_norm_hours_valid(bad[i])) {
            print_error("valid: \"%s\" accepted\n", bad[i]);
            fail();
        }
    }
    assert_false(cd_norm_hours_valid(NULL));
}

/* ---------------------------------------------------------------------- */
/* categories */

/* A categories value, the tags it must give ("a;b", "" for none) and the
 * words that must be reported unmapped. */
struct cat_case {
    const char *in;
    const char *tags;
    const char *unmapped;
};

static const struct cat_case cat_cases[] = {
    {"Bäckerei", "shop=bakery", ""},
    {"BÄCKEREI", "shop=bakery", ""},
    {"bäckerei", "shop=bakery", ""},
    {"Baeckerei", "shop=bakery", ""},
    {"Landbäckerei", "shop=bakery", ""},
    {"Bäckerei & Konditorei", "shop=bakery;shop=pastry", ""},
    {"Konditorei", "shop=pastry", ""},
    {"Metzgerei", "shop=butcher", ""},
    {"Fleischerei", "shop=butcher", ""},
    {"Landmetzgerei", "shop=butcher", ""},
    {"Optik", "shop=optician", ""},
    {"Augenoptik", "shop=optician", ""},
    {"Optiker", "shop=optician", ""},
    {"Blumen", "shop=florist", ""},
    {"Blumenladen", "shop=florist", ""},
    {"Floristik", "shop=florist", ""},
    {"Buchhandlung", "shop=books", ""},
    {"Bücher", "shop=books", ""},
    {"Friseur", "shop=hairdresser", ""},
    {"Frisör", "shop=hairdresser", ""},
    {"Damenfriseur", "shop=hairdresser", ""},
    {"Café", "amenity=cafe", ""},
    {"Cafe", "amenity=cafe", ""},
    {"Cafe\xcc\x81", "amenity=cafe", ""},                  /* NFD */
    {"Café Restaurant", "amenity=cafe;amenity=restaurant", ""},
    {"Eiscafé", "amenity=ice_cream", ""},
    {"Eisdiele", "amenity=ice_cream", ""},
    {"Apotheke", "amenity=pharmacy", ""},
    {"Stadtapotheke", "amenity=pharmacy", ""},
    {"Schuhe", "shop=shoes", ""},
    {"Schuhgeschäft", "shop=shoes", ""},
    {"Damenmode", "shop=clothes", ""},
    {"Mode & Accessoires", "shop=clothes", ""},
    {"Supermarkt", "shop=supermarket", ""},
    {"Fahrräder", "shop=bicycle", ""},
    {"Spielwaren", "shop=toys", ""},
    {"Getränkemarkt", "shop=beverages", ""},
    {"Juwelier", "shop=jewelry", ""},
    {"Uhren & Schmuck", "shop=watches;shop=jewelry", ""},
    {"Zeitschriftenkiosk", "shop=kiosk", ""},
    {"Reformhaus", "shop=health_food", ""},
    {"Weinhandlung", "shop=wine", ""},
    {"Tabakwaren", "shop=tobacco", ""},
    {"Drogerie", "shop=chemist", ""},
    {"Änderungsschneiderei", "craft=tailor", ""},
    {"Schlüsseldienst", "shop=locksmith", ""},
    {"Schneidwaren", "shop=knives", ""},
    {"shop=bakery", "shop=bakery", ""},          /* already an OSM tag */
    {"amenity=cafe", "amenity=cafe", ""},
    {"Antiquitäten", "", "Antiquitäten"},
    {"Kommode", "", "Kommode"},                  /* no "Mode" inside */
    {"Zoohandlung; Trödel", "", "Zoohandlung;Trödel"},
    {"Bäckerei, Zoohandlung", "shop=bakery", "Zoohandlung"},
};

/* The strings of l joined by ";". */
static void join(char *out, size_t n, const struct cd_strlist *l)
{
    size_t i, len = 0;

    out[0] = '\0';
    for(i = 0; i < l->n && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ";" : "",
                                l->v[i]);
}

static void test_normalize__category_table(void **state)
{
    struct cd_strlist words, tags, unmapped;
    char got[512], gotu[512];
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cat_cases) / sizeof(cat_cases[0]); i++) {
        memset(&words, 0, sizeof(words));
        memset(&tags, 0, sizeof(tags));
        memset(&unmapped, 0, sizeof(unmapped));
        assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                            cat_cases[i].in), 0);
        join(got, sizeof(got), &tags);
        join(gotu, sizeof(gotu), &unmapped);
        if(strcmp(got, cat_cases[i].tags) ||
           strcmp(gotu, cat_cases[i].unmapped)) {
            print_error("categories(\"%s\"): tags [%s] unmapped [%s], want "
                        "[%s] [%s]\n", cat_cases[i].in, got, gotu,
                        cat_cases[i].tags, cat_cases[i].unmapped);
            fail();
        }
        cd_strlist_dispose(&words);
        cd_strlist_dispose(&tags);
        cd_strlist_dispose(&unmapped);
    }
}

/* Write text to dir/name. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char p[256];
    FILE *f;

    snprintf(p, sizeof(p), "%s/%s", dir, name);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The tables come from data/ and nowhere else: a city's own folder
 * changes what maps and what expands, and bad lines are refused with
 * file:line. */
static void test_normalize__data_tables(void **state)
{
    char dir[] = "/tmp/cd-data-XXXXXX", path[128], *out = NULL;
    struct cd_strlist words = { NULL, 0 }, tags = { NULL, 0 };
    struct cd_error err = { 0, "" };

    (void)state;
    assert_non_null(mkdtemp(dir));
    write_file(dir, "street_abbrev.tsv", "# a city's own\nweg.\tweg\tWeg\n");
    write_file(dir, "categories.tsv",
               "# a city's own\nZoohandlung\tshop=pet\n"
               "tierbedarf\tshop=pet\tsuffix\n");
    assert_int_equal(cd_norm_data_load(dir, &err), 0);
    assert_string_equal(cd_norm_data_dir(), dir);
    assert_int_equal(cd_norm_categories(&words, &tags, NULL,
                                        "ZOOHANDLUNG, Heimtierbedarf,"
                                        " Bäckerei"), 0);
    assert_int_equal(tags.n, 1);                 /* no built-in Bäckerei */
    assert_string_equal(tags.v[0], "shop=pet");
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
    assert_int_equal(cd_norm_street(&out, "Mühlenweg. Hauptstr."), 0);
    assert_string_equal(out, "Mühlenweg Hauptstr.");
    free(out);

    /* bad lines: file and line named, the loaded tables kept */
    write_file(dir, "categories.tsv", "# x\n\nBäckerei\tbakery\n");
    assert_int_equal(cd_norm_data_load(dir, &err), CD_EINVALID);
    snprintf(path, sizeof(path), "%s/categories.tsv:3:", dir);
    assert_non_null(strstr(err.msg, path));
    write_file(dir, "categories.tsv", "Bäckerei\tshop=bakery\tprefix\n");
    assert_int_equal(cd_norm_data_load(dir, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "unknown flag"));
    write_file(dir, "street_abbrev.tsv", "str.\tstraße\n");
    assert_int_equal(cd_norm_data_load(dir, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "street_abbrev.tsv:1:"));
    assert_string_equal(cd_norm_data_dir(), dir);
    snprintf(path, sizeof(path), "%s/street_abbrev.tsv", dir);
    unlink(path);
    assert_int_equal(cd_norm_data_load(dir, &err), CD_EIO);
    snprintf(path, sizeof(path), "%s/categories.tsv", dir);
    unlink(path);
    rmdir(dir);

    /* CITYDIR_DATA names the folder; without it ./data is found */
    setenv(CD_DATA_ENV, "/nonexistent", 1);
    assert_int_equal(cd_norm_data_init(&err), CD_EIO);
    unsetenv(CD_DATA_ENV);
    assert_int_equal(cd_norm_data_init(&err), 0);
    assert_non_null(strstr(cd_norm_data_dir(), "data"));
}

static void test_normalize__categories(void **state)
{
    struct cd_strlist words = {0}, tags = {0};

    (void)state;
    assert_int_equal(cd_norm_categories(&words, &tags, NULL,
                                        " Bäckerei, Café ;Eisdiele| "), 0);
    assert_int_equal(words.n, 3);
    assert_string_equal(words.v[0], "Bäckerei");
    assert_string_equal(words.v[1], "Café");
    assert_string_equal(words.v[2], "Eisdiele");
    assert_int_equal(tags.n, 3);
    assert_string_equal(tags.v[0], "shop=bakery");
    assert_string_equal(tags.v[1], "amenity=cafe");
    assert_string_equal(tags.v[2], "amenity=ice_cream");

    /* duplicates are not added again; case does not matter */
    assert_int_equal(cd_norm_categories(&words, &tags, NULL, "BÄCKEREI"), 0);
    assert_int_equal(words.n, 4);                 /* a new spelling */
    assert_int_equal(tags.n, 3);
    assert_int_equal(cd_norm_categories(&words, &tags, NULL, "Bäckerei"), 0);
    assert_int_equal(words.n, 4);
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);

    /* word by word, and the ends of compounds */
    assert_int_equal(cd_norm_categories(&words, &tags, NULL,
                                        "Landbäckerei & Konditorei"), 0);
    assert_int_equal(words.n, 1);
    assert_int_equal(tags.n, 2);
    assert_string_equal(tags.v[0], "shop=bakery");
    assert_string_equal(tags.v[1], "shop=pastry");
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);

    assert_int_equal(cd_norm_categories(&words, &tags, NULL,
                                        "Augenoptik; Eiscafé; Schneidwaren;"
                                        " Schlüsseldienst; Damenmode"), 0);
    assert_int_equal(words.n, 5);
    assert_int_equal(tags.n, 5);
    assert_string_equal(tags.v[0], "shop=optician");
    assert_string_equal(tags.v[1], "amenity=ice_cream");  /* not cafe */
    assert_string_equal(tags.v[2], "shop=knives");
    assert_string_equal(tags.v[3], "shop=locksmith");
    assert_string_equal(tags.v[4], "shop=clothes");
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);

    /* unmapped words are kept, with no tag; "Kommode" is no "Mode" */
    assert_int_equal(cd_norm_categories(&words, &tags, NULL,
                                        "Antiquitäten, Kommode"), 0);
    assert_int_equal(words.n, 2);
    assert_int_equal(tags.n, 0);
    assert_int_equal(cd_norm_categories(&words, &tags, NULL, "  ,; "), 0);
    assert_int_equal(words.n, 2);
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
}

/* ---------------------------------------------------------------------- */
/* whole places */

static void add(struct cd_record *r, enum cd_field f, const char *v)
{
    assert_int_equal(cd_record_add(r, f, v, strlen(v)), 0);
}

static void test_normalize__place(void **state)
{
    struct cd_record r;
    struct cd_place p;

    (void)state;
    assert_int_equal(cd_record_init(&r, "https://example.de/h/1"), 0);
    add(&r, CD_F_NAME, "  Bäckerei\xc2\xa0Müller  ");
    add(&r, CD_F_DESCRIPTION, "Brot,\n Brötchen  und Kuchen");
    add(&r, CD_F_ADDRESS, "Hauptstr. 12a, 42651 Solingen");
    add(&r, CD_F_LAT, "51,1705");
    add(&r, CD_F_LON, "7.0838");
    add(&r, CD_F_PHONE, "0212 / 12 34 56");
    add(&r, CD_F_EMAIL, "mailto:Info@Baeckerei-Mueller.DE");
    add(&r, CD_F_WEBSITE, "www.baeckerei-mueller.de/?utm_source=x");
    add(&r, CD_F_OPENING_HOURS, "  Mo-Fr 7-18 Uhr, Sa 7-13 Uhr ");
    add(&r, CD_F_CATEGORIES, "Bäckerei, Café");
    add(&r, CD_F_CATEGORIES, "Konditorei");
    add(&r, CD_F_DELIVERY, "ja");
    add(&r, CD_F_PICKUP, "nein");
    add(&r, CD_F_ONLINE_SHOP, "auf Anfrage");
    add(&r, CD_F_WHEELCHAIR, "eingeschränkt");
    add(&r, CD_F_REF, "b-17");

    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.name, "Bäckerei Müller");
    assert_string_equal(p.description, "Brot, Brötchen und Kuchen");
    assert_string_equal(p.street, "Hauptstraße");
    assert_string_equal(p.housenumber, "12a");
    assert_string_equal(p.postcode, "42651");
    assert_string_equal(p.city, "Solingen");
    assert_true(p.has_coords);
    assert_float_equal(p.lat, 51.1705, 1e-9);
    assert_float_equal(p.lon, 7.0838, 1e-9);
    assert_string_equal(p.phone, "+49 212 123456");
    assert_string_equal(p.email, "Info@baeckerei-mueller.de");
    assert_string_equal(p.website, "https://www.baeckerei-mueller.de/");
    assert_string_equal(p.opening_hours, "Mo-Fr 07:00-18:00; Sa 07:00-13:00");
    assert_string_equal(p.opening_hours_text, "Mo-Fr 7-18 Uhr, Sa 7-13 Uhr");
    assert_int_equal(p.source_categories.n, 3);
    assert_string_equal(p.source_categories.v[0], "Bäckerei");
    assert_string_equal(p.source_categories.v[1], "Café");
    assert_string_equal(p.source_categories.v[2], "Konditorei");
    assert_int_equal(p.categories.n, 3);
    assert_string_equal(p.categories.v[0], "shop=bakery");
    assert_string_equal(p.categories.v[1], "amenity=cafe");
    assert_string_equal(p.categories.v[2], "shop=pastry");
    assert_int_equal(p.delivery, CD_TRI_YES);
    assert_int_equal(p.pickup, CD_TRI_NO);
    assert_int_equal(p.online_shop, CD_TRI_NULL);   /* not a clear word */
    assert_string_equal(p.wheelchair, "limited");
    assert_null(p.id);                               /* the caller's */
    assert_int_equal(p.nsources, 0);
    cd_place_dispose(&p);
    cd_record_dispose(&r);
}

static void test_normalize__place_fields_win(void **state)
{
    struct cd_record r;
    struct cd_place p;

    (void)state;
    /* own fields win over `address`; a bad postcode is dropped */
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_NAME, "Optik Krause");
    add(&r, CD_F_STREET, "Kölner Str.");
    add(&r, CD_F_HOUSENUMBER, "5 b");
    add(&r, CD_F_POSTCODE, "4265");
    add(&r, CD_F_CITY, " Solingen-Ohligs ");
    add(&r, CD_F_ADDRESS, "Hauptstr. 1, 42651 Solingen");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.street, "Kölner Straße");
    assert_string_equal(p.housenumber, "5b");
    assert_string_equal(p.postcode, "42651");      /* from `address` */
    assert_string_equal(p.city, "Solingen-Ohligs");
    cd_place_dispose(&p);
    cd_record_dispose(&r);

    /* a street holding the number is split; the postcode field holds the
     * city too */
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_STREET, "Grünewalder Str. 29-31");
    add(&r, CD_F_POSTCODE, "42657 Solingen-Wald");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.street, "Grünewalder Straße");
    assert_string_equal(p.housenumber, "29-31");
    assert_string_equal(p.postcode, "42657");
    assert_string_equal(p.city, "Solingen-Wald");
    cd_place_dispose(&p);
    cd_record_dispose(&r);

    /* a street without number keeps the address's number when the
     * streets agree, and a city field "42651 Solingen" is split */
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_STREET, "Hauptstraße");
    add(&r, CD_F_CITY, "42651 Solingen");
    add(&r, CD_F_ADDRESS, "Hauptstr. 7");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.street, "Hauptstraße");
    assert_string_equal(p.housenumber, "7");
    assert_string_equal(p.postcode, "42651");
    assert_string_equal(p.city, "Solingen");
    cd_place_dispose(&p);
    cd_record_dispose(&r);

    /* ... but not when they name different streets */
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_STREET, "Am Markt");
    add(&r, CD_F_ADDRESS, "Hauptstr. 7");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.street, "Am Markt");
    assert_null(p.housenumber);
    cd_place_dispose(&p);
    cd_record_dispose(&r);
}

static void test_normalize__place_unreadable(void **state)
{
    struct cd_record r;
    struct cd_place p;

    (void)state;
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_NAME, "Kiosk am Eck");
    add(&r, CD_F_LAT, "51.17");                  /* lon missing */
    add(&r, CD_F_PHONE, "bitte anrufen");
    add(&r, CD_F_EMAIL, "keine");
    add(&r, CD_F_WEBSITE, "folgt");
    add(&r, CD_F_OPENING_HOURS, "nach Vereinbarung");
    add(&r, CD_F_CATEGORIES, "Sonstiges");
    add(&r, CD_F_WHEELCHAIR, "?");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_string_equal(p.name, "Kiosk am Eck");
    assert_false(p.has_coords);
    assert_null(p.phone);
    assert_null(p.email);
    assert_null(p.website);
    assert_null(p.opening_hours);
    assert_string_equal(p.opening_hours_text, "nach Vereinbarung");
    assert_int_equal(p.source_categories.n, 1);
    assert_int_equal(p.categories.n, 0);
    assert_null(p.wheelchair);
    assert_null(p.street);
    assert_int_equal(p.delivery, CD_TRI_NULL);
    cd_place_dispose(&p);
    cd_record_dispose(&r);

    /* (0, 0) is a missing value, not a place in the Atlantic */
    assert_int_equal(cd_record_init(&r, NULL), 0);
    add(&r, CD_F_LAT, "0");
    add(&r, CD_F_LON, "0.0");
    cd_place_init(&p);
    assert_int_equal(cd_normalize_place(&p, &r), 0);
    assert_false(p.has_coords);
    assert_null(p.name);
    cd_place_dispose(&p);
    cd_record_dispose(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize__text),
        cmocka_unit_test(test_normalize__name),
        cmocka_unit_test(test_normalize__data_tables),
        cmocka_unit_test(test_normalize__category_table),
        cmocka_unit_test(test_normalize__address),
        cmocka_unit_test(test_normalize__address_parts),
        cmocka_unit_test(test_normalize__coord),
        cmocka_unit_test(test_normalize__bool),
        cmocka_unit_test(test_normalize__phone),
        cmocka_unit_test(test_normalize__email),
        cmocka_unit_test(test_normalize__website),
        cmocka_unit_test(test_normalize__hours),
        cmocka_unit_test(test_normalize__hours_valid),
        cmocka_unit_test(test_normalize__categories),
        cmocka_unit_test(test_normalize__place),
        cmocka_unit_test(test_normalize__place_fields_win),
        cmocka_unit_test(test_normalize__place_unreadable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

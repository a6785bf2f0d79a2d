/* SPDX-License-Identifier: MIT */
/*
 * The "scan" parser of the crawler tests: a tiny parser that needs no
 * selectors, so crawler tests test the crawler and not the html parser.
 * It emits every href="..." of a page as a link and, for a page with an
 * <article class="haendler">, one record: the <h1> as name, the
 * "strasse" span as street and (when asked) the "ort" span as address.
 */
#ifndef CD_TEST_SCAN_H
#define CD_TEST_SCAN_H

#include "parsers/parser.h"

struct cd_source;

/*
 * A source of the fixture site (tests/fixtures/site) read by `parser` (a
 * scan parser): starts at `url`, no delay, concurrency 2, two retries,
 * follows /haendler/ but not /intern/. Free it with cd_source_free().
 * Fails the test when memory is out.
 */
struct cd_source *cd_test_scan_source(const char *id, const char *url,
                                      const struct cd_parser *parser);

/* Emit doc's links and its record as above. 0, CD_EUSER or CD_ENOMEM. */
int cd_test_scan(const struct cd_doc *doc, int with_address,
                 cd_emit_fn *emit, void *payload);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the xml parser: arbitrary bytes read as XML with a fixed
 * definition that uses [namespaces], item, follow, XPath functions and
 * the built-in GML points (no lat/lon selectors), through cd_parse() so
 * that the srsName reaches PROJ (fuzz/opendata.h).
 */
#include "fuzz/opendata.h"

static const struct {
    const char *field;
    const char *selector;
} extract[] = {
    { "name", "xpath:wf:name | *[local-name()='bezeichnung'] | @name" },
    { "street", "xpath:normalize-space(.//wf:strasse)" },
    { "postcode", "xpath:.//wf:plz | regex:(\\d{5})" },
    { "categories", "xpath:.//wf:branche | .//dcat:keyword" },
    { "ref", "xpath:@gml:id" },
    { "description", "css:beschreibung" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cd_source src;
    static struct cd_selector *follow[1];
    static int ready;
    enum cd_field f;
    size_t i;

    if(!ready) {
        fz_setup(&src, "xml");
        cd_strlist_add(&src.ns, "wf", 2);
        cd_strlist_add(&src.ns, "https://fuzz.example/wf", 23);
        src.item = fz_compile("xpath://wfs:member/* | //gml:featureMember/*"
                              " | //item");
        follow[0] = fz_compile("xpath://wfs:FeatureCollection/@next");
        src.follow = follow;
        src.nfollow = 1;
        for(i = 0; i < sizeof(extract) / sizeof(extract[0]); i++) {
            if(cd_field_lookup(&f, extract[i].field))
                abort();
            src.extract[f] = fz_compile(extract[i].selector);
        }
        ready = 1;
    }
    fz_run(&src, "https://fuzz.example/wfs", data, size);
    return 0;
}

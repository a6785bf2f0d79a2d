/* SPDX-License-Identifier: MIT */
/* Places: setting up, freeing, and adding source entries. */
#include "core/place.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void cd_place_init(struct cd_place *p)
{
    memset(p, 0, sizeof(*p));
    p->delivery = CD_TRI_NULL;
    p->pickup = CD_TRI_NULL;
    p->online_shop = CD_TRI_NULL;
}

void cd_place_dispose(struct cd_place *p)
{
    size_t i;

    free(p->id);
    free(p->name);
    cd_strlist_dispose(&p->categories);
    cd_strlist_dispose(&p->source_categories);
    free(p->street);
    free(p->housenumber);
    free(p->postcode);
    free(p->city);
    free(p->phone);
    free(p->email);
    free(p->website);
    free(p->opening_hours);
    free(p->opening_hours_text);
    free(p->wheelchair);
    free(p->description);
    for(i = 0; i < p->nsources; i++) {
        free(p->sources[i].source);
        free(p->sources[i].url);
        free(p->sources[i].fetched_at);
        free(p->sources[i].license);
    }
    free(p->sources);
    free(p->first_seen);
    free(p->updated_at);
    cd_place_init(p);
}

int cd_place_add_source(struct cd_place *p, const char *source,
                        const char *url, const char *fetched_at)
{
    return cd_place_add_source_license(p, source, url, fetched_at, NULL);
}

int cd_place_add_source_license(struct cd_place *p, const char *source,
                                const char *url, const char *fetched_at,
                                const char *license)
{
    struct cd_place_source *v, *e;

    v = realloc(p->sources, (p->nsources + 1) * sizeof(*v));
    if(!v)
        return CD_ENOMEM;
    p->sources = v;
    e = &v[p->nsources];
    e->source = cd_strdup(source);
    e->url = cd_strdup(url);
    e->fetched_at = cd_strdup(fetched_at);
    e->license = cd_strdup(license);
    p->nsources++;
    if((source && !e->source) || (url && !e->url) ||
       (fetched_at && !e->fetched_at) || (license && !e->license))
        return CD_ENOMEM;
    return 0;
}

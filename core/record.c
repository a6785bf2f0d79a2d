/* SPDX-License-Identifier: MIT */
/* Records: field names, adding values, and the JSON form the store keeps. */
#include "core/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

static const char *const field_names[CD_F__COUNT] = {
    [CD_F_NAME] = "name",
    [CD_F_STREET] = "street",
    [CD_F_HOUSENUMBER] = "housenumber",
    [CD_F_POSTCODE] = "postcode",
    [CD_F_CITY] = "city",
    [CD_F_LAT] = "lat",
    [CD_F_LON] = "lon",
    [CD_F_PHONE] = "phone",
    [CD_F_EMAIL] = "email",
    [CD_F_WEBSITE] = "website",
    [CD_F_OPENING_HOURS] = "opening_hours",
    [CD_F_CATEGORIES] = "categories",
    [CD_F_DELIVERY] = "delivery",
    [CD_F_PICKUP] = "pickup",
    [CD_F_ONLINE_SHOP] = "online_shop",
    [CD_F_WHEELCHAIR] = "wheelchair",
    [CD_F_DESCRIPTION] = "description",
    [CD_F_ADDRESS] = "address",
    [CD_F_REF] = "ref",
    [CD_F_LICENSE] = "license",
    [CD_F_CRS] = "crs",
};

const char *cd_field_name(enum cd_field f)
{
    if((int)f < 0 || f >= CD_F__COUNT)
        return NULL;
    return field_names[f];
}

int cd_field_lookup(enum cd_field *out, const char *name)
{
    int f;

    for(f = 0; f < CD_F__COUNT; f++) {
        if(!strcmp(field_names[f], name)) {
            *out = (enum cd_field)f;
            return 0;
        }
    }
    return CD_ENOTFOUND;
}

int cd_field_is_list(enum cd_field f)
{
    return f == CD_F_CATEGORIES;
}

int cd_record_init(struct cd_record *r, const char *url)
{
    memset(r, 0, sizeof(*r));
    if(url) {
        r->url = strdup(url);
        if(!r->url)
            return CD_ENOMEM;
    }
    return 0;
}

void cd_record_dispose(struct cd_record *r)
{
    int f;

    for(f = 0; f < CD_F__COUNT; f++)
        cd_strlist_dispose(&r->fields[f]);
    CD_FREE(r->url);
}

int cd_record_add(struct cd_record *r, enum cd_field f, const char *v,
                  size_t n)
{
    struct cd_strlist *l = &r->fields[f];

    if(!n)
        return 0;
    if(l->n && !cd_field_is_list(f))
        return 0;
    return cd_strlist_add(l, v, n);
}

const char *cd_record_get(const struct cd_record *r, enum cd_field f)
{
    return r->fields[f].n ? r->fields[f].v[0] : NULL;
}

int cd_record_is_empty(const struct cd_record *r)
{
    int f;

    for(f = 0; f < CD_F__COUNT; f++)
        if(r->fields[f].n)
            return 0;
    return 1;
}

int cd_record_to_json(char **out, const struct cd_record *r)
{
    json_t *o = json_object(), *v;
    size_t i;
    int f, rc = CD_ENOMEM;

    *out = NULL;
    if(!o)
        return CD_ENOMEM;
    for(f = 0; f < CD_F__COUNT; f++) {
        const struct cd_strlist *l = &r->fields[f];

        if(!l->n)
            continue;
        if(cd_field_is_list((enum cd_field)f)) {
            v = json_array();
            for(i = 0; v && i < l->n; i++)
                if(json_array_append_new(v, json_string(l->v[i])))
                    goto out;
        } else {
            v = json_string(l->v[0]);
        }
        if(!v || json_object_set_new(o, field_names[f], v))
            goto out;
    }
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    rc = *out ? 0 : CD_ENOMEM;
out:
    json_decref(o);
    return rc;
}

int cd_record_from_json(struct cd_record *r, const char *json,
                        const char *url)
{
    json_t *o, *v, *e;
    const char *key;
    enum cd_field f;
    size_t i;
    int rc;

    rc = cd_record_init(r, url);
    if(rc)
        return rc;
    o = json_loads(json, 0, NULL);
    if(!o || !json_is_object(o)) {
        json_decref(o);
        cd_record_dispose(r);
        return CD_EINVALID;
    }
    json_object_foreach(o, key, v) {
        if(cd_field_lookup(&f, key))
            continue;
        if(json_is_string(v)) {
            rc = cd_record_add(r, f, json_string_value(v),
                               json_string_length(v));
        } else if(json_is_array(v)) {
            json_array_foreach(v, i, e) {
                if(!json_is_string(e))
                    continue;
                rc = cd_record_add(r, f, json_string_value(e),
                                   json_string_length(e));
                if(rc)
                    break;
            }
        }
        if(rc)
            break;
    }
    json_decref(o);
    if(rc)
        cd_record_dispose(r);
    return rc;
}

int cd_record_key(char **out, const struct cd_record *r, int per_item)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_LINE);
    const char *ref = cd_record_get(r, CD_F_REF);
    const char *name = cd_record_get(r, CD_F_NAME);
    int rc;

    *out = NULL;
    if(ref)
        rc = cd_buf_printf(&b, "ref:%s", ref);
    else if(per_item)
        rc = cd_buf_printf(&b, "%s#%s", r->url ? r->url : "",
                           name ? name : "");
    else
        rc = cd_buf_puts(&b, r->url ? r->url : "");
    if(rc)
        return rc;
    *out = cd_buf_detach(&b);
    return *out ? 0 : CD_ENOMEM;
}

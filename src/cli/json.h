/* json: a small JSON reader for wast2json output; strict RFC 8259, bounded nesting. */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Nesting deeper than this is rejected, so hostile input cannot exhaust the C stack. */
#define JSON_MAX_DEPTH 200

typedef enum json_kind {
    JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT,
} json_kind;

typedef struct json_member json_member;

/* A parsed value. Strings are NUL-terminated and may also contain NUL bytes (from
   \u0000), so len is the byte count. For arrays and objects len counts the elements. */
typedef struct json {
    json_kind kind;
    size_t len;
    union {
        double num;
        char *str;
        struct json *items;
        json_member *members;
    } u;
} json;

struct json_member {
    char *key;      /* NUL-terminated; keylen bytes */
    size_t keylen;
    json value;
};

/* Parse text[0..len) (need not be NUL-terminated). On success fills *out (free it with
   json_free) and returns true; on failure writes "offset N: reason" to err and returns
   false, leaving *out as JSON_NULL. */
bool json_parse(const char *text, size_t len, json *out, char *err, size_t errsz);
void json_free(json *v);

/* Lookups; NULL (or false) when obj is not an object or the member is missing or has
   another kind. The first member wins when a key repeats. */
const json *json_get(const json *obj, const char *key);
const char *json_get_str(const json *obj, const char *key);
const json *json_get_array(const json *obj, const char *key);
bool json_get_num(const json *obj, const char *key, double *out);

#endif

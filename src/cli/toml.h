/* toml: a TOML 1.0 reader for taho.toml. Accepts the whole language and rejects the rest
   with line, column and reason; nesting is bounded so hostile input cannot exhaust the
   C stack. */
#ifndef CLI_TOML_H
#define CLI_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Arrays and inline tables nested deeper than this are rejected. */
#define TOML_MAX_DEPTH 100

typedef enum toml_type {
    TOML_STRING, TOML_INTEGER, TOML_FLOAT, TOML_BOOL, TOML_DATETIME, TOML_ARRAY, TOML_TABLE,
} toml_type;

/* The four date/time kinds share one struct; has_date/has_time/has_offset say which. */
typedef struct toml_datetime {
    bool has_date, has_time, has_offset;
    int year, month, day;
    int hour, minute, second;
    int32_t nanosecond;       /* digits past the ninth are dropped */
    int offset_minutes;       /* east of UTC; "Z" is 0 */
} toml_datetime;

typedef struct toml_value toml_value;
typedef struct toml_keyval toml_keyval;

struct toml_value {
    toml_type type;
    int line, col;            /* where the value starts (a table: its header or first key) */
    uint8_t flags;            /* toml.c's bookkeeping for the redefinition rules */
    size_t len;               /* string bytes, array items or table entries */
    size_t cap;
    union {
        char *str;            /* NUL-terminated; may also hold NUL bytes (\u0000) */
        int64_t i;
        double f;
        bool b;
        toml_datetime dt;
        toml_value **items;
        toml_keyval *entries; /* in the order they were defined */
    } u;
};

struct toml_keyval {
    char *key;                /* NUL-terminated; keylen bytes */
    size_t keylen;
    int line, col;            /* where this key was written */
    toml_value *value;
};

typedef struct toml_error {
    int line, col;            /* 1-based; col counts characters */
    char msg[200];
} toml_error;

/* Parse text[0..len) (need not be NUL-terminated). Returns the root table (free it with
   toml_free), or NULL with *err filled. */
toml_value *toml_parse(const char *text, size_t len, toml_error *err);
void toml_free(toml_value *v);

/* The entry of table t named key, or NULL. */
const toml_keyval *toml_find(const toml_value *t, const char *key);
/* "string", "integer", "float", "boolean", "datetime", "array", "table". */
const char *toml_type_name(toml_type t);

#endif

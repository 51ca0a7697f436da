/* toml_dump: prints a TOML file's tree as tagged JSON, for toml_diff.py to compare with
   Python's tomllib. Exit 1 and "line:col: reason" on stderr when the file is rejected. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../../src/cli/toml.h"

static void str(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20 || c == 0x7F) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static void dump(const toml_value *v) {
    switch (v->type) {
    case TOML_STRING: str(v->u.str, v->len); break;
    case TOML_INTEGER: printf("{\"int\":\"%lld\"}", (long long)v->u.i); break;
    case TOML_FLOAT:
        if (isnan(v->u.f)) printf("{\"float\":\"nan\"}");
        else printf("{\"float\":\"%.17g\"}", v->u.f);
        break;
    case TOML_BOOL: printf(v->u.b ? "true" : "false"); break;
    case TOML_DATETIME: {
        const toml_datetime *d = &v->u.dt;
        printf("{\"dt\":\"");
        if (d->has_date) printf("%04d-%02d-%02d", d->year, d->month, d->day);
        if (d->has_date && d->has_time) putchar('T');
        if (d->has_time) printf("%02d:%02d:%02d.%06d", d->hour, d->minute, d->second, d->nanosecond / 1000);
        if (d->has_offset) printf("%+d", d->offset_minutes);
        printf("\"}");
        break;
    }
    case TOML_ARRAY:
        putchar('[');
        for (size_t i = 0; i < v->len; i++) { if (i) putchar(','); dump(v->u.items[i]); }
        putchar(']');
        break;
    case TOML_TABLE:
        putchar('{');
        for (size_t i = 0; i < v->len; i++) {
            if (i) putchar(',');
            str(v->u.entries[i].key, v->u.entries[i].keylen);
            putchar(':');
            dump(v->u.entries[i].value);
        }
        putchar('}');
        break;
    }
}

int main(int argc, char **argv) {
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!f) return 2;
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    toml_error err;
    toml_value *root = toml_parse(data, n, &err);
    if (!root) { fprintf(stderr, "%d:%d: %s\n", err.line, err.col, err.msg); return 1; }
    dump(root);
    putchar('\n');
    toml_free(root);
    return 0;
}

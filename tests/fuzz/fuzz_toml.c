/* fuzz_toml: libFuzzer target over the TOML reader of taho.toml: any input is accepted
   with a well-formed tree or rejected with a position inside the input. */
#include "../../src/cli/toml.h"
#include <stdlib.h>
#include <string.h>

/* Walks the tree, checking what the reader promises about it. */
static void walk(const toml_value *v, int depth) {
    if (depth > TOML_MAX_DEPTH * 4 || v->line < 1 || v->col < 1) abort();
    if (v->type == TOML_STRING && (!v->u.str || v->u.str[v->len] != 0)) abort();
    if (v->type == TOML_ARRAY)
        for (size_t i = 0; i < v->len; i++) walk(v->u.items[i], depth + 1);
    if (v->type == TOML_TABLE)
        for (size_t i = 0; i < v->len; i++) {
            const toml_keyval *kv = &v->u.entries[i];
            if (kv->key[kv->keylen] != 0 || kv->line < 1) abort();
            for (size_t j = 0; j < i; j++)   /* no key twice in one table */
                if (v->u.entries[j].keylen == kv->keylen && !memcmp(v->u.entries[j].key, kv->key, kv->keylen)) abort();
            walk(kv->value, depth + 1);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    toml_error err;
    toml_value *root = toml_parse((const char *)data, size, &err);
    if (!root) {
        size_t lines = 1;
        for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
        if (err.line < 1 || (size_t)err.line > lines || err.col < 1 || !err.msg[0]) abort();
        return 0;
    }
    walk(root, 0);
    toml_free(root);
    return 0;
}

/* modules: encode the synthetic modules of bench/instantiate (Wasm binary format). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "modules.h"

static void put(bytes *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}
static void u8(bytes *b, uint8_t v) { put(b, &v, 1); }
static void uleb(bytes *b, uint64_t v) {
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        u8(b, c | (v ? 0x80 : 0));
    } while (v);
}
static void name(bytes *b, const char *s) { uleb(b, strlen(s)); put(b, s, strlen(s)); }
static void section(bytes *b, uint8_t id, bytes *body) {
    u8(b, id);
    uleb(b, body->len);
    put(b, body->p, body->len);
    free(body->p);
    *body = (bytes){0};
}
static void header(bytes *b) { put(b, "\0asm\1\0\0\0", 8); }

/* types: 0 = () -> i32, 1 = () -> () */
static void types(bytes *b) {
    bytes s = {0};
    uleb(&s, 2);
    u8(&s, 0x60); uleb(&s, 0); uleb(&s, 1); u8(&s, 0x7f);
    u8(&s, 0x60); uleb(&s, 0); uleb(&s, 0);
    section(b, 1, &s);
}

static void sleb(bytes *b, int64_t v) {
    for (;;) {
        uint8_t c = v & 0x7f;
        v >>= 7;
        bool done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
        u8(b, c | (done ? 0 : 0x80));
        if (done) return;
    }
}

/* the function section: one function of type 0 (ping) */
static void ping(bytes *b) {
    bytes s = {0};
    uleb(&s, 1); uleb(&s, 0);
    section(b, 3, &s);
}
static void export_ping(bytes *b, uint32_t idx) {
    bytes s = {0};
    uleb(&s, 1); name(&s, "ping"); u8(&s, 0); uleb(&s, idx);
    section(b, 7, &s);
}
static void code_ping(bytes *b) {
    bytes s = {0};
    static const uint8_t body[] = {0x04, 0x00, 0x41, 42, 0x0b}; /* size, no locals, i32.const 42, end */
    uleb(&s, 1); put(&s, body, sizeof body);
    section(b, 10, &s);
}

bytes mod_empty(void) {
    bytes b = {0};
    header(&b);
    types(&b);
    ping(&b);
    export_ping(&b, 0);
    code_ping(&b);
    return b;
}

bytes mod_data_imports(void) {
    bytes b = {0}, s = {0};
    header(&b);
    types(&b);
    uleb(&s, 100);
    for (int i = 0; i < 100; i++) {
        char n[8];
        n[0] = 'f';
        int k = 1;
        if (i >= 10) n[k++] = (char)('0' + i / 10);
        n[k++] = (char)('0' + i % 10);
        n[k] = 0;
        name(&s, "env"); name(&s, n); u8(&s, 0); uleb(&s, 1);
    }
    section(&b, 2, &s);
    ping(&b);
    uleb(&s, 1); u8(&s, 0); uleb(&s, 17); /* memory: min 17 pages, no max */
    section(&b, 5, &s);
    export_ping(&b, 100);
    code_ping(&b);
    enum { SEG = 64 * 1024, NSEG = 16 };
    uint8_t *chunk = malloc(SEG);
    if (!chunk) abort();
    uleb(&s, NSEG);
    for (int i = 0; i < NSEG; i++) {
        for (int k = 0; k < SEG; k++) chunk[k] = (uint8_t)(k * 7 + i);
        uleb(&s, 0); u8(&s, 0x41); sleb(&s, (int64_t)i * SEG + 4096); u8(&s, 0x0b); /* i32.const off */
        uleb(&s, SEG); put(&s, chunk, SEG);
    }
    free(chunk);
    section(&b, 11, &s);
    return b;
}

bytes mod_spin(void) {
    bytes b = {0}, s = {0};
    header(&b);
    uleb(&s, 1); u8(&s, 0x60); uleb(&s, 0); uleb(&s, 0); /* () -> () */
    section(&b, 1, &s);
    uleb(&s, 1); uleb(&s, 0);
    section(&b, 3, &s);
    uleb(&s, 1); name(&s, "spin"); u8(&s, 0); uleb(&s, 0);
    section(&b, 7, &s);
    static const uint8_t body[] = {0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b}; /* loop br 0 end end */
    uleb(&s, 1); put(&s, body, sizeof body);
    section(&b, 10, &s);
    return b;
}

bytes mod_table(void) {
    enum { NF = 100, NT = 1000 };
    bytes b = {0}, s = {0};
    header(&b);
    types(&b);
    uleb(&s, NF + 1);
    for (int i = 0; i <= NF; i++) uleb(&s, 0);
    section(&b, 3, &s);
    uleb(&s, 1); u8(&s, 0x70); u8(&s, 1); uleb(&s, NT); uleb(&s, NT); /* funcref, min = max */
    section(&b, 4, &s);
    export_ping(&b, NF);
    uleb(&s, 1); uleb(&s, 0); u8(&s, 0x41); sleb(&s, 0); u8(&s, 0x0b); /* table 0 at 0 */
    uleb(&s, NT);
    for (int i = 0; i < NT; i++) uleb(&s, (uint64_t)(i % NF));
    section(&b, 9, &s);
    uleb(&s, NF + 1);
    for (int i = 0; i < NF; i++) {
        bytes f = {0};
        u8(&f, 0); u8(&f, 0x41); sleb(&f, i); u8(&f, 0x0b); /* i32.const i */
        uleb(&s, f.len); put(&s, f.p, f.len);
        free(f.p);
    }
    /* ping: i32.const 42, call_indirect (type 0) table 0 -> function 42 */
    static const uint8_t body[] = {0x07, 0x00, 0x41, 42, 0x11, 0x00, 0x00, 0x0b};
    put(&s, body, sizeof body);
    section(&b, 10, &s);
    return b;
}

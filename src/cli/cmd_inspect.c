/* cmd_inspect: `taho inspect FILE.wasm [--json]` describes a module without running it:
   the imports grouped by module (the capabilities it asks for), exports with their
   types, memories, tables, globals, custom sections and the size of every section. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct inspect {
    const char *path;
    const taho_module *m;
    taho_module_counts n;
    bool json;
    FILE *out;
} inspect;

/* ---- text pieces ---- */

/* A name for humans: printable ASCII and UTF-8 as is, other bytes as \xNN. */
static void put_name(FILE *f, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '\\') fprintf(f, "\\x%02x", c);
        else fputc(c, f);
    }
}

/* A JSON string (names are UTF-8 by the spec; control bytes are escaped). */
static void put_json_str(FILE *f, const char *s, size_t n) {
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7F) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static const char *kind_name(taho_externkind k) {
    static const char *const names[] = {"func", "table", "memory", "global"};
    return (unsigned)k < 4 ? names[k] : "?";
}

static void put_kinds(FILE *f, const taho_valkind *k, size_t n, bool json) {
    fputs(json ? "[" : "(", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, json ? "%s\"%s\"" : "%s%s", i ? ", " : "", taho_valkind_name(k[i]));
    fputs(json ? "]" : ")", f);
}

static void put_limits_text(FILE *f, const taho_limits *l, const char *unit) {
    fprintf(f, "min %u %s%s", l->min, unit, l->min == 1 ? "" : "s");
    if (l->has_max) fprintf(f, ", max %u", l->max);
    else fputs(", no max", f);
}

/* The type part of an import or export, after its name. */
static void put_type_text(FILE *f, const taho_externtype *t) {
    switch (t->kind) {
    case TAHO_EXTERN_FUNC:
        put_kinds(f, t->of.func.params, t->of.func.nparams, false);
        fputs(" -> ", f);
        put_kinds(f, t->of.func.results, t->of.func.nresults, false);
        break;
    case TAHO_EXTERN_TABLE:
        fprintf(f, "%s, ", taho_valkind_name(t->of.table.elem));
        put_limits_text(f, &t->of.table.limits, "element");
        break;
    case TAHO_EXTERN_MEMORY: put_limits_text(f, &t->of.memory.limits, "page"); break;
    case TAHO_EXTERN_GLOBAL:
        fprintf(f, "%s%s", t->of.global.mutable_ ? "mut " : "", taho_valkind_name(t->of.global.kind));
        break;
    }
}

static void put_limits_json(FILE *f, const taho_limits *l) {
    fprintf(f, "\"min\": %u, \"max\": ", l->min);
    if (l->has_max) fprintf(f, "%u", l->max);
    else fputs("null", f);
}

/* The type fields of an import or export as JSON members (after "kind"). */
static void put_type_json(FILE *f, const taho_externtype *t) {
    switch (t->kind) {
    case TAHO_EXTERN_FUNC:
        fputs(", \"params\": ", f);
        put_kinds(f, t->of.func.params, t->of.func.nparams, true);
        fputs(", \"results\": ", f);
        put_kinds(f, t->of.func.results, t->of.func.nresults, true);
        break;
    case TAHO_EXTERN_TABLE:
        fprintf(f, ", \"element\": \"%s\", ", taho_valkind_name(t->of.table.elem));
        put_limits_json(f, &t->of.table.limits);
        break;
    case TAHO_EXTERN_MEMORY:
        fputs(", ", f);
        put_limits_json(f, &t->of.memory.limits);
        break;
    case TAHO_EXTERN_GLOBAL:
        fprintf(f, ", \"type\": \"%s\", \"mutable\": %s", taho_valkind_name(t->of.global.kind),
                t->of.global.mutable_ ? "true" : "false");
        break;
    }
}

/* ---- imports, grouped by module in order of first appearance ---- */

static bool first_of_module(const taho_module *m, size_t i) {
    const char *mod = taho_module_import(m, i).module;
    for (size_t k = 0; k < i; k++)
        if (!strcmp(taho_module_import(m, k).module, mod)) return false;
    return true;
}

static size_t imports_of(const taho_module *m, const char *mod) {
    size_t n = 0;
    for (size_t i = 0, c = taho_module_import_count(m); i < c; i++) n += !strcmp(taho_module_import(m, i).module, mod);
    return n;
}

static void imports_text(inspect *s) {
    size_t n = taho_module_import_count(s->m);
    fprintf(s->out, "\nimports: %zu%s\n", n, n ? " (what the module asks the host for)" : "");
    for (size_t i = 0; i < n; i++) {
        if (!first_of_module(s->m, i)) continue;
        const char *mod = taho_module_import(s->m, i).module;
        fputs("  ", s->out);
        put_name(s->out, mod, strlen(mod));
        fprintf(s->out, " (%zu)\n", imports_of(s->m, mod));
        for (size_t k = i; k < n; k++) {
            taho_importtype im = taho_module_import(s->m, k);
            if (strcmp(im.module, mod)) continue;
            taho_externtype t = taho_module_import_type(s->m, k);
            fprintf(s->out, "    %-6s ", kind_name(im.kind));
            put_name(s->out, im.name, strlen(im.name));
            fputc(' ', s->out);
            put_type_text(s->out, &t);
            fputc('\n', s->out);
        }
    }
}

static void imports_json(inspect *s) {
    size_t n = taho_module_import_count(s->m);
    fputs("  \"imports\": {", s->out);
    bool firstmod = true;
    for (size_t i = 0; i < n; i++) {
        if (!first_of_module(s->m, i)) continue;
        const char *mod = taho_module_import(s->m, i).module;
        fputs(firstmod ? "\n    " : ",\n    ", s->out);
        firstmod = false;
        put_json_str(s->out, mod, strlen(mod));
        fputs(": [", s->out);
        bool first = true;
        for (size_t k = i; k < n; k++) {
            taho_importtype im = taho_module_import(s->m, k);
            if (strcmp(im.module, mod)) continue;
            taho_externtype t = taho_module_import_type(s->m, k);
            fputs(first ? "\n      {\"name\": " : ",\n      {\"name\": ", s->out);
            first = false;
            put_json_str(s->out, im.name, strlen(im.name));
            fprintf(s->out, ", \"kind\": \"%s\"", kind_name(im.kind));
            put_type_json(s->out, &t);
            fputc('}', s->out);
        }
        fputs("\n    ]", s->out);
    }
    fputs(firstmod ? "},\n" : "\n  },\n", s->out);
}

/* ---- exports ---- */

static void exports_out(inspect *s) {
    size_t n = taho_module_export_count(s->m);
    if (s->json) fputs("  \"exports\": [", s->out);
    else fprintf(s->out, "\nexports: %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        taho_exporttype ex = taho_module_export(s->m, i);
        taho_externtype t = taho_module_export_type(s->m, i);
        if (s->json) {
            fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", s->out);
            put_json_str(s->out, ex.name, strlen(ex.name));
            fprintf(s->out, ", \"kind\": \"%s\"", kind_name(ex.kind));
            put_type_json(s->out, &t);
            fputc('}', s->out);
            continue;
        }
        fprintf(s->out, "  %-6s ", kind_name(ex.kind));
        put_name(s->out, ex.name, strlen(ex.name));
        fputc(' ', s->out);
        put_type_text(s->out, &t);
        fputc('\n', s->out);
    }
    if (s->json) fputs(n ? "\n  ],\n" : "],\n", s->out);
}

/* ---- memories, tables, globals: every index, imported ones first ---- */

/* The import that provides entity `index` of kind k, or -1 for a defined one. */
static long import_of(const taho_module *m, taho_externkind k, uint32_t index) {
    uint32_t seen = 0;
    for (size_t i = 0, n = taho_module_import_count(m); i < n; i++)
        if (taho_module_import(m, i).kind == k && seen++ == index) return (long)i;
    return -1;
}

static void entities_out(inspect *s, taho_externkind k, const char *title, uint32_t count, bool last) {
    if (s->json) fprintf(s->out, "  \"%s\": [", title);
    else fprintf(s->out, "\n%s: %u\n", title, count);
    for (uint32_t i = 0; i < count; i++) {
        taho_externtype t;
        if (!taho_module_entity_type(s->m, k, i, &t)) break;
        long im = import_of(s->m, k, i);
        if (s->json) {
            fprintf(s->out, "%s{\"index\": %u, \"imported\": ", i ? ",\n    " : "\n    ", i);
            if (im >= 0) {
                taho_importtype it = taho_module_import(s->m, (size_t)im);
                fputs("{\"module\": ", s->out);
                put_json_str(s->out, it.module, strlen(it.module));
                fputs(", \"name\": ", s->out);
                put_json_str(s->out, it.name, strlen(it.name));
                fputc('}', s->out);
            } else fputs("null", s->out);
            put_type_json(s->out, &t);
            fputc('}', s->out);
            continue;
        }
        fprintf(s->out, "  %u: ", i);
        put_type_text(s->out, &t);
        if (k == TAHO_EXTERN_MEMORY)
            fprintf(s->out, " (%llu KiB at start)", (unsigned long long)t.of.memory.limits.min * 64);
        if (im >= 0) {
            taho_importtype it = taho_module_import(s->m, (size_t)im);
            fputs(", imported from ", s->out);
            put_name(s->out, it.module, strlen(it.module));
            fputc('.', s->out);
            put_name(s->out, it.name, strlen(it.name));
        }
        fputc('\n', s->out);
    }
    if (s->json) fprintf(s->out, "%s%s\n", count ? "\n  ]" : "]", last ? "" : ",");
}

/* ---- sections ---- */

static void customs_out(inspect *s) {
    size_t n = taho_module_section_count(s->m), shown = 0;
    if (s->json) fputs("  \"custom_sections\": [", s->out);
    else fprintf(s->out, "\ncustom sections: %u\n", s->n.customs);
    for (size_t i = 0; i < n; i++) {
        taho_section sec = taho_module_section(s->m, i);
        if (sec.id != 0) continue;
        if (s->json) {
            fputs(shown ? ",\n    {\"name\": " : "\n    {\"name\": ", s->out);
            put_json_str(s->out, sec.name, sec.name_len);
            fprintf(s->out, ", \"size\": %zu}", sec.size);
        } else {
            fputs("  ", s->out);
            put_name(s->out, sec.name, sec.name_len);
            fprintf(s->out, ": %zu bytes\n", sec.size);
        }
        shown++;
    }
    if (s->json) fputs(shown ? "\n  ],\n" : "],\n", s->out);
}

static void sections_out(inspect *s) {
    size_t n = taho_module_section_count(s->m);
    if (s->json) fputs("  \"sections\": [", s->out);
    else fprintf(s->out, "\nsections: %zu\n  %-3s %-20s %10s %10s\n", n, "id", "name", "offset", "bytes");
    for (size_t i = 0; i < n; i++) {
        taho_section sec = taho_module_section(s->m, i);
        if (s->json) {
            fprintf(s->out, "%s{\"id\": %u, \"name\": ", i ? ",\n    " : "\n    ", sec.id);
            put_json_str(s->out, sec.name, sec.name_len);
            fprintf(s->out, ", \"offset\": %zu, \"size\": %zu}", sec.offset, sec.size);
            continue;
        }
        char name[64];
        int len = sec.name_len > 20 ? 20 : (int)sec.name_len;
        snprintf(name, sizeof name, "%s%.*s%s", sec.id ? "" : "\"", len, sec.name, sec.id ? "" : "\"");
        for (char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7F) *c = '?';
        fprintf(s->out, "  %-3u %-20s %#10zx %10zu\n", sec.id, name, sec.offset, sec.size);
    }
    if (s->json) fputs(n ? "\n  ],\n" : "],\n", s->out);
}

/* ---- the whole report ---- */

static void summary_out(inspect *s) {
    uint32_t defined = s->n.funcs - s->n.imported_funcs;
    if (s->json) {
        fputs("{\n  \"file\": ", s->out);
        put_json_str(s->out, s->path, strlen(s->path));
        fprintf(s->out, ",\n  \"size\": %zu,\n  \"types\": %u,\n", s->n.size, s->n.types);
        fprintf(s->out, "  \"functions\": {\"total\": %u, \"imported\": %u, \"defined\": %u},\n",
                s->n.funcs, s->n.imported_funcs, defined);
        fprintf(s->out, "  \"element_segments\": %u,\n  \"data_segments\": %u,\n", s->n.elems, s->n.datas);
        if (s->n.has_start) fprintf(s->out, "  \"start\": %u,\n", s->n.start);
        else fputs("  \"start\": null,\n", s->out);
        return;
    }
    put_name(s->out, s->path, strlen(s->path));
    fprintf(s->out, ": %zu bytes, %u types, %u functions (%u imported, %u defined), "
                    "%u element and %u data segments\n",
            s->n.size, s->n.types, s->n.funcs, s->n.imported_funcs, defined, s->n.elems, s->n.datas);
    if (s->n.has_start) {
        size_t len = 0;
        const char *name = taho_module_func_name(s->m, s->n.start, &len);
        fprintf(s->out, "start function: %u", s->n.start);
        if (name) { fputs(" (", s->out); put_name(s->out, name, len); fputc(')', s->out); }
        fputc('\n', s->out);
    }
}

static void report(inspect *s) {
    summary_out(s);
    if (s->json) imports_json(s);
    else imports_text(s);
    exports_out(s);
    customs_out(s);
    sections_out(s);
    entities_out(s, TAHO_EXTERN_MEMORY, "memories", s->n.memories, false);
    entities_out(s, TAHO_EXTERN_TABLE, "tables", s->n.tables, false);
    entities_out(s, TAHO_EXTERN_GLOBAL, "globals", s->n.globals, true);
    if (s->json) fputs("}\n", s->out);
}

static void print_help(void) {
    fputs("usage: taho inspect FILE.wasm [--json]\n"
          "\n"
          "Describe a module without running it: its imports grouped by module (the\n"
          "capabilities it asks the host for), exports with their types, memories, tables,\n"
          "globals, custom sections, and the offset and size of every section.\n"
          "  --json   the same as one JSON object, for programs\n",
          stdout);
}

static int parse_args(int argc, char **argv, inspect *s) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) s->json = true;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) return print_help(), -1;
        else if (!strcmp(a, "--") && i + 1 < argc && !s->path && i + 2 == argc) s->path = argv[++i];
        else if (a[0] == '-' && a[1]) return cli_usage_error("inspect: unknown option '%s'", a);
        else if (s->path) return cli_usage_error("inspect: one FILE.wasm at a time");
        else s->path = a;
    }
    if (!s->path) return cli_usage_error("inspect: missing FILE.wasm");
    return CLI_OK;
}

int cmd_inspect(int argc, char **argv) {
    inspect s = {.out = stdout};
    int rc = parse_args(argc, argv, &s);
    if (rc) return rc < 0 ? CLI_OK : rc;
    size_t len;
    uint8_t *bytes = cli_read_file(s.path, &len);
    if (!bytes) return cli_usage_error("cannot read '%s': %s", s.path, strerror(errno));
    taho_engine *e = taho_engine_new(NULL);
    if (!e) return free(bytes), cli_fail("out of memory");
    taho_module *m = NULL;
    taho_error *err = taho_module_new(e, bytes, len, &m);
    if (err) {
        char msg[512];
        cli_describe_error(err, msg, sizeof msg);
        rc = cli_fail("%s: %s%s", s.path, msg, cli_text_hint(err, bytes, len));
        taho_error_delete(err);
    } else {
        s.m = m;
        s.n = taho_module_counts_of(m);
        report(&s);
        taho_module_delete(m);
    }
    free(bytes);
    taho_engine_delete(e);
    return rc;
}

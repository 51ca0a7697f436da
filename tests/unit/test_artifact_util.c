/* test_artifact_util: real objects for the artifact tests, compiled at test time by
   clang-19 from small C sources that make the relocations LLVM emits: a jump table
   (.rodata -> .text), float constants, calls through the PLT to memset/ceil, a call
   across objects, a GOTPCREL to data in another object, a GOT slot for a function
   pointer to a libcall, -fno-plt calls through the GOT. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "test_artifact.h"

static const char src_a[] =
    "#include <string.h>\n#include <math.h>\n"
    "typedef unsigned long long u64;\n"
    "extern int helper(int);\nextern int counter;\nint via_got(int);\n"
    "__attribute__((noinline)) int tf0(int x) {\n"
    "  switch (x) {\n"
    "  case 0: return x * 7 + helper(1);\n  case 1: return (x << 5) ^ 0x55;\n"
    "  case 2: return helper(x) - 3;\n  case 3: return counter * 2;\n"
    "  case 4: return x / 3 + 1000;\n  case 5: return helper(x * x);\n"
    "  case 6: return -x;\n  case 7: return counter + x;\n  default: return -1;\n  }\n}\n"
    "__attribute__((noinline)) double tf1(double x) { return ceil(x * 1.5) + 0.25; }\n"
    "__attribute__((noinline)) int tf2(char *p, int n) { memset(p, 7, n); return helper(n); }\n"
    "__attribute__((noinline)) int tf3(void) { return ++counter; }\n"
    "void *(*volatile fp)(void *, const void *, size_t);\n"
    "__attribute__((noinline)) void *tf4(void) { fp = memcpy; return (void *)fp; }\n"
    "int te0(void *e, void *c, u64 *s) { s[0] = (unsigned)tf0((int)s[0]); return 0; }\n"
    "int te1(void *e, void *c, u64 *s) { double d; memcpy(&d, s, 8); d = tf1(d);\n"
    "  memcpy(s, &d, 8); return 0; }\n"
    "int te2(void *e, void *c, u64 *s) { s[0] = (unsigned)tf2((char *)s[0], (int)s[1]); return 0; }\n"
    "int te3(void *e, void *c, u64 *s) { s[0] = (unsigned)tf3(); return 0; }\n"
    "int te4(void *e, void *c, u64 *s) { s[0] = (u64)tf4(); return 0; }\n"
    "int te5(void *e, void *c, u64 *s) { s[0] = (unsigned)via_got((int)s[0]); return 0; }\n";

static const char src_b[] =
    "int counter = 5;\nstatic int bss[100];\n"
    "int helper(int n) { bss[n % 100] += n; return n * 3 + bss[n % 100]; }\n";

/* -fno-plt: calls to helper through its GOT slot (a defined symbol's slot). */
static const char src_c[] =
    "extern int helper(int);\n"
    "__attribute__((noinline)) int tf5(int x) { return helper(x) + 1; }\n"
    "int via_got(int x) { return tf5(x) * 2; }\n";

const char *at_tmpdir(void) {
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/taho-art-XXXXXX");
    return mkdtemp(dir);
}

bool at_starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool read_file(const char *path, uint8_t **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = tb_malloc(n > 0 ? (size_t)n : 1);
    *len = (size_t)n;
    bool ok = *out && fread(*out, 1, *len, f) == *len;
    fclose(f);
    return ok;
}

static bool have_clang(void) {
    static int have = -1;
    if (have < 0) {
        have = system("command -v clang-19 >/dev/null 2>&1") == 0;
        if (!have) printf("  artifact tests: clang-19 is not on PATH; they cannot make objects\n");
    }
    return have;
}

bool at_compile(const char *src, const char *extra, uint8_t **out, size_t *len) {
    if (!have_clang()) return false;
    const char *dir = at_tmpdir();
    if (!dir) return false;
    char c[128], o[128], cmd[512];
    snprintf(c, sizeof c, "%s/x.c", dir);
    snprintf(o, sizeof o, "%s/x.o", dir);
    FILE *f = fopen(c, "w");
    if (!f) return false;
    fputs(src, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "clang-19 -c -fPIC -O2 %s -o %s %s", extra, o, c);
    bool ok = system(cmd) == 0 && read_file(o, out, len);
    if (!ok) printf("  artifact tests: `%s` failed\n", cmd);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    return ok;
}

bool at_compile_program(const char *extra, at_objs *p) {
    const char *srcs[] = {src_a, src_b, src_c};
    const char *flags[] = {"", "", "-fno-plt"};
    p->n = 0;
    for (int i = 0; i < 3; i++) {
        uint8_t *b;
        size_t n;
        char f[128];
        snprintf(f, sizeof f, "%s %s", flags[i], extra);
        if (!at_compile(srcs[i], f, &b, &n)) { at_free_program(p); return false; }
        p->o[p->n++] = (art_obj){b, n};
    }
    return true;
}

void at_free_program(at_objs *p) {
    for (uint32_t i = 0; i < p->n; i++) tb_free((void *)p->o[i].bytes);
    p->n = 0;
}

const at_objs *at_program(void) {
    static at_objs p;
    static int state;             /* 0 not tried, 1 ok, 2 failed */
    if (!state) state = at_compile_program("", &p) ? 1 : 2;
    return state == 1 ? &p : NULL;
}

bool at_link_program(art_image *img, tb_error *err) {
    const at_objs *p = at_program();
    if (!p) return false;
    return art_link(p->o, p->n, AT_NFUNCS, img, err);
}

int at_section(const uint8_t *b, const char *name, Elf64_Shdr *out) {
    Elf64_Ehdr eh;
    memcpy(&eh, b, sizeof eh);
    Elf64_Shdr str;
    memcpy(&str, b + eh.e_shoff + eh.e_shstrndx * sizeof str, sizeof str);
    for (int i = 0; i < eh.e_shnum; i++) {
        memcpy(out, b + eh.e_shoff + i * sizeof *out, sizeof *out);
        if (strcmp((const char *)b + str.sh_offset + out->sh_name, name) == 0)
            return (int)(eh.e_shoff + i * sizeof *out);
    }
    return -1;
}

typedef int (*fn_ii)(int);
typedef double (*fn_dd)(double);
typedef int (*fn_pi)(char *, int);
typedef int (*fn_v)(void);
typedef void *(*fn_p)(void);

/* helper(n) = n*3 + bss[n%100] after bss[n%100] += n; counter starts at 5. Each call
   of at_run_program sees fresh state, since each load has its own data. */
bool at_run_program(const rt_native *n) {
    if (n->nfuncs != AT_NFUNCS) return false;
    fn_ii tf0 = (fn_ii)n->fns[0];
    fn_dd tf1 = (fn_dd)n->fns[1];
    fn_pi tf2 = (fn_pi)n->fns[2];
    fn_v tf3 = (fn_v)n->fns[3];
    fn_p tf4 = (fn_p)n->fns[4];
    fn_ii tf5 = (fn_ii)n->fns[5];
    if (tf0(1) != ((1 << 5) ^ 0x55) || tf0(4) != 1001 || tf0(6) != -6 || tf0(9) != -1 ||
        tf0(3) != 10 || tf0(7) != 12)
        return false;
    if (tf0(2) != 2 * 3 + 2 - 3) return false;           /* bss[2] = 2 */
    if (tf1(2.1) != 4.25 || tf1(-1.0) != -1.0 + 0.25) return false;
    char buf[16] = {0};
    if (tf2(buf, 10) != 10 * 3 + 10 || buf[9] != 7 || buf[10] != 0) return false;
    if (tf3() != 6 || tf3() != 7) return false;
    if (tf4() != (void *)memcpy) return false;
    if (tf5(20) != 20 * 3 + 20 + 1) return false;      /* bss[20] = 20 */
    uint64_t slots[2] = {11, 0};
    if (n->entries[5](NULL, NULL, slots) != 0 || slots[0] != 2 * (11 * 3 + 11 + 1)) return false;
    slots[0] = 5;
    if (n->entries[0](NULL, NULL, slots) != 0 || slots[0] != 25 * 3 + 25)
        return false;
    return true;
}

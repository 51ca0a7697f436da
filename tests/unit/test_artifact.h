/* test_artifact.h: helpers shared by the artifact tests: C sources compiled at test
   time into real relocatable objects (clang-19 -c -fPIC -O2), and ELF edits for the
   malformed-object and corrupted-artifact tests. */
#ifndef TEST_ARTIFACT_H
#define TEST_ARTIFACT_H

#include <elf.h>
#include "../../src/artifact/internal.h"

typedef struct at_objs {
    art_obj o[4];
    uint32_t n;
} at_objs;

/* The test program's objects (a.c b.c c.c, see test_artifact_util.c), compiled once
   per process; NULL (and a message printed) when clang-19 is missing or fails. */
const at_objs *at_program(void);
#define AT_NFUNCS 6
/* The same program compiled with more flags (e.g. another code model). */
bool at_compile_program(const char *extra, at_objs *p);
void at_free_program(at_objs *p);
/* Compile one C source to an object (extra: more clang flags, may be ""); tb_malloc'd. */
bool at_compile(const char *src, const char *extra, uint8_t **out, size_t *len);
/* A linked image of at_program(). */
bool at_link_program(art_image *img, tb_error *err);
/* A fresh temporary directory (static buffer). */
const char *at_tmpdir(void);

/* ELF edits: the header of section `name` (copy) and its file offset; -1 if absent. */
int at_section(const uint8_t *b, const char *name, Elf64_Shdr *out);
bool at_starts_with(const char *s, const char *prefix);

/* Check that the program's functions give the right answers through n. */
bool at_run_program(const rt_native *n);

#endif

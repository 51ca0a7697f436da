/* test: a tiny unit-test registry. TEST(name) { CHECK(cond); } registers itself. */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>

void test_register(const char *name, void (*fn)(void), const char *file);
void test_fail(const char *file, int line, const char *expr);

#define TEST(name) \
    static void name(void); \
    __attribute__((constructor)) static void reg_##name(void) { test_register(#name, name, __FILE__); } \
    static void name(void)

#define CHECK(c) do { if (!(c)) { test_fail(__FILE__, __LINE__, #c); return; } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { char m_[160]; snprintf(m_, sizeof m_, "%s == %s (%lld != %lld)", #a, #b, a_, b_); \
        test_fail(__FILE__, __LINE__, m_); return; } } while (0)

#endif

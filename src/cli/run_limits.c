/* run_limits: --fuel, --max-memory, --timeout and --max-stack for `taho run`, through
   the public API only: fuel and epoch interruption in the engine config, store limits,
   and a timer thread that advances the engine's epoch when the timeout expires. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "run_limits.h"

/* A number followed by one of the units; false on anything else or overflow. */
static bool parse_units(const char *s, const char *const *names, const uint64_t *mult,
                        size_t nunits, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-') return false;
    for (size_t k = 0; k < nunits; k++)
        if (!strcmp(end, names[k])) {
            if (n > UINT64_MAX / mult[k]) return false;
            *out = n * mult[k];
            return true;
        }
    return false;
}

static bool parse_size(const char *s, uint64_t *out) {
    static const char *const names[] = {"", "B", "KiB", "MiB", "GiB", "K", "M", "G"};
    static const uint64_t mult[] = {1, 1, 1u << 10, 1u << 20, 1u << 30, 1u << 10, 1u << 20, 1u << 30};
    return parse_units(s, names, mult, 8, out);
}

static bool parse_duration(const char *s, uint64_t *us) {
    static const char *const names[] = {"us", "ms", "s", "m", "h"};
    static const uint64_t mult[] = {1, 1000, 1000000, 60000000, 3600000000ull};
    return parse_units(s, names, mult, 5, us);
}

int run_limits_option(const char *flag, const char *value, run_limits *l) {
    bool ok;
    if (!strcmp(flag, "--fuel")) {
        static const char *const names[] = {""};
        static const uint64_t mult[] = {1};
        ok = value && parse_units(value, names, mult, 1, &l->fuel);
        l->has_fuel = true;
    } else if (!strcmp(flag, "--max-memory")) {
        ok = value && parse_size(value, &l->max_memory);
        l->has_max_memory = true;
    } else if (!strcmp(flag, "--timeout")) {
        ok = value && parse_duration(value, &l->timeout_us) && l->timeout_us > 0;
        l->has_timeout = true;
    } else if (!strcmp(flag, "--max-stack")) {
        ok = value && parse_size(value, &l->max_stack) && l->max_stack >= 4096;
        l->has_max_stack = true;
    } else {
        return 0;
    }
    if (ok) return 1;
    cli_usage_error("%s needs %s, not '%s'", flag,
                    !strcmp(flag, "--fuel") ? "a number" :
                    !strcmp(flag, "--timeout") ? "a duration such as 500ms, 2s or 1m"
                                               : "a size such as 64MiB, 512KiB or 65536",
                    value ? value : "");
    return -1;
}

void run_limits_merge(run_limits *l, bool has_fuel, uint64_t fuel, bool has_max_memory,
                      uint64_t max_memory, bool has_timeout, uint64_t timeout_us,
                      bool has_max_stack, uint64_t max_stack) {
    if (has_fuel && !l->has_fuel) l->has_fuel = true, l->fuel = fuel;
    if (has_max_memory && !l->has_max_memory) l->has_max_memory = true, l->max_memory = max_memory;
    if (has_timeout && !l->has_timeout) l->has_timeout = true, l->timeout_us = timeout_us;
    if (has_max_stack && !l->has_max_stack) l->has_max_stack = true, l->max_stack = max_stack;
}

void run_limits_config(const run_limits *l, taho_config *cfg) {
    if (l->has_fuel) taho_config_consume_fuel(cfg, true);
    if (l->has_timeout) taho_config_epoch_interruption(cfg, true);
    if (l->has_max_stack) taho_config_max_wasm_stack(cfg, (size_t)l->max_stack);
}

/* Sleep until the timeout or until told to stop; then advance the epoch, which makes
   the running guest trap "interrupt" at its next loop header or call. */
static void *timer_main(void *arg) {
    run_limits *l = arg;
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_sec += (time_t)(l->timeout_us / 1000000);
    at.tv_nsec += (long)(l->timeout_us % 1000000) * 1000;
    if (at.tv_nsec >= 1000000000) at.tv_sec++, at.tv_nsec -= 1000000000;
    pthread_mutex_lock(&l->lock);
    int rc = 0;
    while (!l->timer_stop && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&l->cond, &l->lock, &at);
    bool fire = !l->timer_stop;
    pthread_mutex_unlock(&l->lock);
    if (fire) taho_engine_increment_epoch(l->engine);
    return NULL;
}

int run_limits_store(run_limits *l, taho_engine *e, taho_store *s) {
    if (l->has_fuel) {
        taho_error *err = taho_store_set_fuel(s, l->fuel);
        if (err) {
            cli_fail("--fuel: %s", taho_error_message(err));
            taho_error_delete(err);
            return CLI_FAIL;
        }
    }
    if (l->has_max_memory) taho_store_limits(s, (int64_t)(l->max_memory > INT64_MAX ? INT64_MAX : l->max_memory), -1, -1);
    if (!l->has_timeout) return CLI_OK;
    taho_store_set_epoch_deadline(s, 1);
    l->engine = e;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->cond, NULL);
    if (pthread_create(&l->timer, NULL, timer_main, l) != 0) {
        cli_fail("--timeout: cannot start the timer thread");
        return CLI_FAIL;
    }
    l->timer_started = true;
    return CLI_OK;
}

void run_limits_stop(run_limits *l) {
    if (!l->timer_started) return;
    pthread_mutex_lock(&l->lock);
    l->timer_stop = true;
    pthread_cond_signal(&l->cond);
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->timer, NULL);
    pthread_mutex_destroy(&l->lock);
    pthread_cond_destroy(&l->cond);
    l->timer_started = false;
}

const char *run_limits_note(const run_limits *l, const taho_trap *trap, char *buf, size_t n) {
    taho_trap_code c = taho_trap_code_of(trap);
    if (c == TAHO_TRAP_OUT_OF_FUEL && l->has_fuel)
        snprintf(buf, n, "fuel limit of %llu reached (--fuel, [limits] fuel)", (unsigned long long)l->fuel);
    else if (c == TAHO_TRAP_INTERRUPT && l->has_timeout)
        snprintf(buf, n, "timeout of %llu ms reached (--timeout, [limits] timeout)",
                 (unsigned long long)(l->timeout_us / 1000));
    else if (c == TAHO_TRAP_STACK_EXHAUSTED && l->has_max_stack)
        snprintf(buf, n, "Wasm stack of %llu bytes exhausted (--max-stack, [limits] max_stack)",
                 (unsigned long long)l->max_stack);
    else
        return NULL;
    return buf;
}

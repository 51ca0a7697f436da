/* vm: a small register-machine bytecode interpreter (a switch-dispatch loop) running a
 * bytecode program that counts primes by trial division and sums Collatz path lengths.
 * Indirect branches and unpredictable control flow: an interpreter inside the
 * interpreter. scale = the upper bound for both loops. */
#include "common.h"

enum { OP_LI, OP_MOV, OP_ADD, OP_ADDI, OP_SUB, OP_MUL, OP_DIVU, OP_REMU, OP_SHRI, OP_ANDI,
       OP_JMP, OP_JLTU, OP_JGEU, OP_JEQ, OP_JNE, OP_JZ, OP_JNZ, OP_HALT };

typedef struct {
    uint8_t op, a, b, c;   /* registers, or an immediate / jump target in imm */
    int32_t imm;
} insn;

/* Runs until HALT; returns register 0. */
static uint32_t execute(const insn *code, uint32_t *r) {
    for (const insn *pc = code;; pc++) {
        switch (pc->op) {
        case OP_LI:   r[pc->a] = (uint32_t)pc->imm; break;
        case OP_MOV:  r[pc->a] = r[pc->b]; break;
        case OP_ADD:  r[pc->a] = r[pc->b] + r[pc->c]; break;
        case OP_ADDI: r[pc->a] = r[pc->b] + (uint32_t)pc->imm; break;
        case OP_SUB:  r[pc->a] = r[pc->b] - r[pc->c]; break;
        case OP_MUL:  r[pc->a] = r[pc->b] * r[pc->c]; break;
        case OP_DIVU: r[pc->a] = r[pc->c] ? r[pc->b] / r[pc->c] : 0; break;
        case OP_REMU: r[pc->a] = r[pc->c] ? r[pc->b] % r[pc->c] : 0; break;
        case OP_SHRI: r[pc->a] = r[pc->b] >> (pc->imm & 31); break;
        case OP_ANDI: r[pc->a] = r[pc->b] & (uint32_t)pc->imm; break;
        case OP_JMP:  pc = code + pc->imm - 1; break;
        case OP_JLTU: if (r[pc->a] < r[pc->b]) pc = code + pc->imm - 1; break;
        case OP_JGEU: if (r[pc->a] >= r[pc->b]) pc = code + pc->imm - 1; break;
        case OP_JEQ:  if (r[pc->a] == r[pc->b]) pc = code + pc->imm - 1; break;
        case OP_JNE:  if (r[pc->a] != r[pc->b]) pc = code + pc->imm - 1; break;
        case OP_JZ:   if (!r[pc->a]) pc = code + pc->imm - 1; break;
        case OP_JNZ:  if (r[pc->a]) pc = code + pc->imm - 1; break;
        default:      return r[0];
        }
    }
}

#define I(o, a, b, c, imm) {OP_##o, a, b, c, imm}

/* r1 = limit (input). Primes: r0 = count of primes in [2, limit).
 * Registers: r2 n, r3 d, r4 d*d, r5 n%d, r6 = 1 (constant), r7 scratch. */
static const insn primes[] = {
    /* 0 */ I(LI, 0, 0, 0, 0),
    /* 1 */ I(LI, 2, 0, 0, 2),
    /* 2 */ I(LI, 6, 0, 0, 1),
    /* 3 */ I(JGEU, 2, 1, 0, 15),   /* loop over n: done when n >= limit */
    /* 4 */ I(LI, 3, 0, 0, 2),
    /* 5 */ I(MUL, 4, 3, 3, 0),     /* trial division while d*d <= n */
    /* 6 */ I(JLTU, 2, 4, 0, 12),
    /* 7 */ I(REMU, 5, 2, 3, 0),
    /* 8 */ I(JZ, 5, 0, 0, 13),     /* divisible: not prime */
    /* 9 */ I(ADDI, 3, 3, 0, 1),
    /* 10 */ I(JMP, 0, 0, 0, 5),
    /* 11 */ I(HALT, 0, 0, 0, 0),
    /* 12 */ I(ADD, 0, 0, 6, 0),    /* prime */
    /* 13 */ I(ADDI, 2, 2, 0, 1),
    /* 14 */ I(JMP, 0, 0, 0, 3),
    /* 15 */ I(HALT, 0, 0, 0, 0),
};

/* Collatz: r0 = sum over n in [1, limit) of the steps for n to reach 1; a path that
 * would overflow 32 bits stops there, so the program always ends.
 * Registers: r2 n, r3 x, r4 x&1, r5 overflow bound, r6 = 1, r7 = 3. */
static const insn collatz[] = {
    /* 0 */ I(LI, 0, 0, 0, 0),
    /* 1 */ I(LI, 2, 0, 0, 1),
    /* 2 */ I(LI, 6, 0, 0, 1),
    /* 3 */ I(LI, 7, 0, 0, 3),
    /* 4 */ I(LI, 5, 0, 0, 1431655764),   /* (2^32 - 2) / 3 */
    /* 5 */ I(JGEU, 2, 1, 0, 19),
    /* 6 */ I(MOV, 3, 2, 0, 0),
    /* 7 */ I(JEQ, 3, 6, 0, 17),    /* x == 1: next n */
    /* 8 */ I(ADDI, 0, 0, 0, 1),
    /* 9 */ I(ANDI, 4, 3, 0, 1),
    /* 10 */ I(JNZ, 4, 0, 0, 13),
    /* 11 */ I(SHRI, 3, 3, 0, 1),   /* even: x /= 2 */
    /* 12 */ I(JMP, 0, 0, 0, 7),
    /* 13 */ I(JGEU, 3, 5, 0, 17),  /* 3x + 1 would overflow: give up on this n */
    /* 14 */ I(MUL, 3, 3, 7, 0),    /* odd: x = 3x + 1 */
    /* 15 */ I(ADD, 3, 3, 6, 0),
    /* 16 */ I(JMP, 0, 0, 0, 7),
    /* 17 */ I(ADDI, 2, 2, 0, 1),
    /* 18 */ I(JMP, 0, 0, 0, 5),
    /* 19 */ I(HALT, 0, 0, 0, 0),
};

int run(int scale) {
    uint32_t r[8] = {0};
    r[1] = (uint32_t)(scale < 10 ? 10 : scale);
    uint32_t nprimes = execute(primes, r);
    /* sanity: pi(10) = 4 is known; a broken VM fails this at any scale */
    uint32_t check[8] = {0};
    check[1] = 10;
    if (execute(primes, check) != 4)
        return -1;
    uint32_t check2[8] = {0};
    check2[1] = 10;
    if (execute(collatz, check2) != 61)   /* steps of 1..9: 0+1+7+2+5+8+16+3+19 */
        return -1;
    r[1] = (uint32_t)(scale < 10 ? 10 : scale);
    uint32_t steps = execute(collatz, r);
    return (int)bench_mix(bench_mix(BENCH_HASH_INIT, nprimes), steps);
}

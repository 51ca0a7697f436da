/* parser: a tokenizer and recursive-descent parser for a tiny expression language.
 * Generates program text in batches ("let kamo = (tisu + 417) * ri ^ 3;",
 * "kamo += ...;", comments), tokenizes it, parses it into an AST, evaluates it and
 * hashes the variables. Character classification, branchy control flow, recursion,
 * small allocations, symbol lookup. scale = number of statements. */
#include <stdlib.h>
#include "common.h"

#define BATCH 2048          /* statements generated and parsed at a time */
#define NVARS 64
#define SYMTAB 256          /* power of two, > NVARS */

/* ---- source generation ---- */

typedef struct {
    char *p;
    uint32_t len, cap;
} text;

static void put(text *t, const char *s, uint32_t n) {
    if (t->len + n + 1 > t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->p = realloc(t->p, cap);
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
}

static void put_str(text *t, const char *s) { put(t, s, (uint32_t)strlen(s)); }

static void put_num(text *t, uint32_t v) {
    char d[12];
    int n = 0;
    do {
        d[11 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(t, d + 12 - n, (uint32_t)n);
}

static const char *const syllables[16] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po",
                                          "zu", "he", "ba", "do", "fi", "gu", "ye", "wo"};
static char var_names[NVARS][8];

static void make_names(void) {
    for (int i = 0; i < NVARS; i++) {
        char *s = var_names[i];
        strcpy(s, syllables[i % 16]);
        strcat(s, syllables[(i / 16 + i) % 16]);
        if (i >= 32)
            strcat(s, "x");
    }
}

static const char *const binops[10] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"};

static void gen_expr(text *t, uint32_t *seed, int depth) {
    uint32_t r = bench_rand(seed);
    if (depth <= 0 || r % 8 < 2) {
        if (r & 0x100)
            put_str(t, var_names[(r >> 9) % NVARS]);
        else
            put_num(t, (r >> 9) % 100000);
        return;
    }
    if (r % 8 == 2) {
        put_str(t, "(");
        gen_expr(t, seed, depth - 1);
        put_str(t, ")");
        return;
    }
    if (r % 8 == 3) {
        put_str(t, "-");
        gen_expr(t, seed, depth - 1);
        return;
    }
    gen_expr(t, seed, depth - 1);
    put_str(t, " ");
    put_str(t, binops[(r >> 4) % 10]);
    put_str(t, " ");
    gen_expr(t, seed, depth - 1);
}

static void gen_program(text *t, uint32_t *seed, int statements) {
    t->len = 0;
    for (int i = 0; i < statements; i++) {
        uint32_t r = bench_rand(seed);
        if (r % 16 == 0)
            put_str(t, "# a comment line with words that the lexer skips\n");
        if (r & 0x10)
            put_str(t, "let ");
        put_str(t, var_names[(r >> 8) % NVARS]);
        put_str(t, (r & 0x10) ? " = " : " += ");
        gen_expr(t, seed, 5);
        put_str(t, ";\n");
    }
}

/* ---- tokenizer ---- */

enum { T_NUM, T_IDENT, T_LET, T_OP, T_ASSIGN, T_PLUS_ASSIGN, T_LPAREN, T_RPAREN, T_SEMI, T_EOF, T_ERROR };

typedef struct {
    uint8_t kind;
    char op;              /* for T_OP: first char; '<' and '>' stand for shifts */
    uint32_t start, len;  /* the lexeme in the text */
    uint32_t num;
} token;

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static uint32_t lex_one(const char *s, uint32_t i, token *tk) {
    while (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '#') {
        if (s[i] == '#')
            while (s[i] && s[i] != '\n')
                i++;
        else
            i++;
    }
    tk->start = i;
    char c = s[i];
    if (!c) {
        tk->kind = T_EOF;
        tk->len = 0;
        return i;
    }
    if (is_digit(c)) {
        uint32_t v = 0;
        while (is_digit(s[i]))
            v = v * 10u + (uint32_t)(s[i++] - '0');
        tk->kind = T_NUM;
        tk->num = v;
    } else if (is_alpha(c)) {
        while (is_alpha(s[i]) || is_digit(s[i]))
            i++;
        tk->kind = (i - tk->start == 3 && memcmp(s + tk->start, "let", 3) == 0) ? T_LET : T_IDENT;
    } else if (c == '+' && s[i + 1] == '=') {
        tk->kind = T_PLUS_ASSIGN;
        i += 2;
    } else if ((c == '<' || c == '>') && s[i + 1] == c) {
        tk->kind = T_OP;
        tk->op = c;
        i += 2;
    } else {
        i++;
        switch (c) {
        case '=': tk->kind = T_ASSIGN; break;
        case '(': tk->kind = T_LPAREN; break;
        case ')': tk->kind = T_RPAREN; break;
        case ';': tk->kind = T_SEMI; break;
        case '+': case '-': case '*': case '/': case '%': case '&': case '|': case '^':
            tk->kind = T_OP;
            tk->op = c;
            break;
        default: tk->kind = T_ERROR; break;
        }
    }
    tk->len = i - tk->start;
    return i;
}

/* Tokenizes the whole text; returns the token count (the last is T_EOF) or 0. */
static uint32_t lex(const char *s, token **out, uint32_t *cap) {
    uint32_t n = 0, i = 0;
    for (;;) {
        if (n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *out = realloc(*out, sizeof(token) * *cap);
        }
        token *tk = &(*out)[n++];
        i = lex_one(s, i, tk);
        if (tk->kind == T_ERROR)
            return 0;
        if (tk->kind == T_EOF)
            return n;
    }
}

/* ---- symbols ---- */

typedef struct {
    const char *name;
    uint32_t len;
    int var;
} symbol;

static symbol symtab[SYMTAB];

static uint32_t sym_hash(const char *s, uint32_t len) {
    uint32_t h = 5381;
    for (uint32_t i = 0; i < len; i++)
        h = h * 33u + (uint8_t)s[i];
    return h;
}

static void sym_add(const char *name, int var) {
    uint32_t len = (uint32_t)strlen(name);
    uint32_t i = sym_hash(name, len) & (SYMTAB - 1);
    while (symtab[i].name)
        i = (i + 1) & (SYMTAB - 1);
    symtab[i] = (symbol){name, len, var};
}

static int sym_find(const char *s, uint32_t len) {
    for (uint32_t i = sym_hash(s, len) & (SYMTAB - 1); symtab[i].name; i = (i + 1) & (SYMTAB - 1))
        if (symtab[i].len == len && memcmp(symtab[i].name, s, len) == 0)
            return symtab[i].var;
    return -1;
}

/* ---- parser: precedence climbing over the token array ---- */

enum { N_NUM, N_VAR, N_NEG, N_BIN };

typedef struct ast {
    uint8_t kind;
    char op;
    uint32_t value;   /* number, or variable index */
    struct ast *lhs, *rhs;
} ast;

typedef struct {
    const char *src;
    const token *tk;
    uint32_t pos;
    int error;
    uint32_t nodes;
} parser;

static ast *new_node(parser *p, uint8_t kind) {
    ast *n = malloc(sizeof *n);
    if (!n) {
        p->error = 1;
        return NULL;
    }
    n->kind = kind;
    n->lhs = n->rhs = NULL;
    p->nodes++;
    return n;
}

static void free_ast(ast *n) {
    if (!n)
        return;
    free_ast(n->lhs);
    free_ast(n->rhs);
    free(n);
}

static int precedence(char op) {
    switch (op) {
    case '|': return 1;
    case '^': return 2;
    case '&': return 3;
    case '<': case '>': return 4;
    case '+': case '-': return 5;
    default: return 6;   /* * / % */
    }
}

static ast *parse_expr(parser *p, int min_prec);

static ast *parse_primary(parser *p) {
    const token *t = &p->tk[p->pos++];
    ast *n = NULL;
    if (t->kind == T_NUM) {
        if ((n = new_node(p, N_NUM)))
            n->value = t->num;
    } else if (t->kind == T_IDENT) {
        int v = sym_find(p->src + t->start, t->len);
        if (v < 0)
            p->error = 1;
        else if ((n = new_node(p, N_VAR)))
            n->value = (uint32_t)v;
    } else if (t->kind == T_LPAREN) {
        n = parse_expr(p, 1);
        if (p->tk[p->pos++].kind != T_RPAREN)
            p->error = 1;
    } else if (t->kind == T_OP && t->op == '-') {
        if ((n = new_node(p, N_NEG)))
            n->lhs = parse_primary(p);
    } else {
        p->error = 1;
    }
    return n;
}

static ast *parse_expr(parser *p, int min_prec) {
    ast *lhs = parse_primary(p);
    while (!p->error && p->tk[p->pos].kind == T_OP && precedence(p->tk[p->pos].op) >= min_prec) {
        char op = p->tk[p->pos++].op;
        ast *rhs = parse_expr(p, precedence(op) + 1);
        ast *n = new_node(p, N_BIN);
        if (!n) {
            free_ast(rhs);
            break;
        }
        n->op = op;
        n->lhs = lhs;
        n->rhs = rhs;
        lhs = n;
    }
    return lhs;
}

/* ---- evaluation ---- */

static uint32_t eval(const ast *n, const uint32_t *vars) {
    switch (n->kind) {
    case N_NUM: return n->value;
    case N_VAR: return vars[n->value];
    case N_NEG: return 0u - eval(n->lhs, vars);
    default: break;
    }
    uint32_t a = eval(n->lhs, vars), b = eval(n->rhs, vars);
    switch (n->op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b ? a / b : a;
    case '%': return b ? a % b : a;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<': return a << (b & 31);
    default: return a >> (b & 31);
    }
}

/* Parses and runs one statement; returns 0 on a syntax error. */
static int statement(parser *p, uint32_t *vars) {
    if (p->tk[p->pos].kind == T_LET)
        p->pos++;
    const token *name = &p->tk[p->pos++];
    const token *assign = &p->tk[p->pos++];
    int v = name->kind == T_IDENT ? sym_find(p->src + name->start, name->len) : -1;
    if (v < 0 || (assign->kind != T_ASSIGN && assign->kind != T_PLUS_ASSIGN))
        return 0;
    ast *e = parse_expr(p, 1);
    if (p->error || p->tk[p->pos++].kind != T_SEMI) {
        free_ast(e);
        return 0;
    }
    uint32_t value = eval(e, vars);
    vars[v] = assign->kind == T_ASSIGN ? value : vars[v] + value;
    free_ast(e);
    return 1;
}

int run(int scale) {
    make_names();
    memset(symtab, 0, sizeof symtab);
    for (int i = 0; i < NVARS; i++)
        sym_add(var_names[i], i);
    uint32_t vars[NVARS];
    for (int i = 0; i < NVARS; i++)
        vars[i] = (uint32_t)i * 2654435761u;
    text t = {0};
    token *toks = NULL;
    uint32_t tok_cap = 0, seed = 0xc0ffeeu, total_tokens = 0, total_nodes = 0;
    for (int done = 0; done < scale; done += BATCH) {
        int count = scale - done < BATCH ? scale - done : BATCH;
        gen_program(&t, &seed, count);
        uint32_t ntok = lex(t.p, &toks, &tok_cap);
        if (!ntok)
            return -1;
        parser p = {t.p, toks, 0, 0, 0};
        while (toks[p.pos].kind != T_EOF)
            if (!statement(&p, vars))
                return -1;
        total_tokens += ntok;
        total_nodes += p.nodes;
    }
    free(t.p);
    free(toks);
    uint32_t h = bench_mix(bench_mix(BENCH_HASH_INIT, total_tokens), total_nodes);
    for (int i = 0; i < NVARS; i++)
        h = bench_mix(h, vars[i]);
    return (int)h;
}

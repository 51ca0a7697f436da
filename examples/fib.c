/* fib: the README's first example, compiled to a wasm32 module with no imports. */
__attribute__((export_name("fib")))
long long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

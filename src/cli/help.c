/* help: the text of `taho --help`. */
#include <stdio.h>
#include "cli.h"

void cli_print_help(void) {
    fputs("usage: taho <command> [options]\n"
          "\n"
          "commands:\n"
          "  run [--invoke NAME] FILE.wasm|FILE.taho [ARGS...]\n"
          "        instantiate FILE and call _start, or the export NAME with ARGS\n"
          "        (i32/i64: decimal or 0x hex; f32/f64: decimal, inf, nan; v128: 0x + 32 hex)\n"
          "  compile FILE.wasm -o OUT.taho [--optimize speed|size|none] [--target CPU] [--jobs N]\n"
          "        compile ahead of time (LLVM); `taho run OUT.taho` runs it with no compiling\n"
          "        (--target native (default), x86-64, x86-64-v2, x86-64-v3, x86-64-v4);\n"
          "        --consume-fuel / --epoch-interruption compile the checks that run's\n"
          "        --fuel / --timeout need (an artifact runs only with the limits it has)\n"
          "  inspect FILE.wasm [--json]\n"
          "        describe a module: imports by module (the capabilities it asks for),\n"
          "        exports with types, memories, tables, globals, custom sections, sizes\n"
          "  validate FILE.wasm\n"
          "        decode and validate FILE; prints \"valid\" or the error\n"
          "  wast FILE.wast [--json-dir DIR] [--wast2json-flag FLAG]... [-v]\n"
          "        run a spec test script, converted with wast2json (FILE.json is read as\n"
          "        is); --json-dir keeps the converted files in DIR; --wast2json-flag passes\n"
          "        FLAG on (--enable-tail-call for a proposal); -v prints each failure\n"
          "\n"
          "options:\n"
          "  --config FILE   read settings from FILE instead of ./taho.toml (before the\n"
          "                  command, or as an option of run); flags override the file\n"
          "  -h, --help      show this help\n"
          "  -V, --version   show the version\n"
          "\n"
          "exit status: 0 success, 1 the module or program failed, 2 bad command line\n",
          stdout);
}

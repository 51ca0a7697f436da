# taho build. `make` builds build/taho and build/libtaho.a; `make SAN=1` builds the same
# under ASan+UBSan in build-san/. Sources are found by directory: add a .c file to a
# layer's folder and it is built.
CC       := clang-19
SAN      ?=
OPT      ?= -O2
ifeq ($(SAN),1)
  B      := build-san
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
  B      := build
  SANFLAGS :=
endif
CFLAGS   := -std=gnu11 $(OPT) -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
            -fvisibility=hidden -fno-strict-aliasing -D_GNU_SOURCE -Iinclude $(SANFLAGS) $(EXTRA_CFLAGS)
LDFLAGS  := $(SANFLAGS) -lm -lpthread

LAYERS   := base wasm decode validate interp runtime artifact link wasi api
LIB_SRCS := $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
UNIT_SRCS:= $(wildcard tests/unit/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(B)/%.o)
# The CLI's parts other than main() are linked into the unit tests too (tests/unit/test_cli_*).
CLI_PART_OBJS := $(filter-out $(B)/src/cli/main.o,$(CLI_OBJS))
UNIT_OBJS:= $(UNIT_SRCS:%.c=$(B)/%.o)

# The optimizing tier is a plugin (dlopen'ed by src/runtime/tier.c when something must
# be compiled); it is built when llvm-config-19 is installed. Only it links LLVM.
LLVM_CONFIG ?= llvm-config-19
HAVE_LLVM := $(shell command -v $(LLVM_CONFIG) 2>/dev/null)
LLVM_SRCS := $(wildcard src/llvm/*.c)
LLVM_CORE := $(wildcard src/base/*.c src/wasm/*.c) src/decode/reader.c

all: $(B)/taho $(B)/unit-tests $(B)/libtaho.so $(if $(HAVE_LLVM),$(B)/libtaho-llvm.so)

$(B)/libtaho.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/libtaho.so: $(LIB_SRCS)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $(LIB_SRCS) $(LDFLAGS)

# build/taho starts in a few milliseconds (issue 4): not position-independent, so the
# loader has none of its ~2,500 relocations to apply (each dirtied a page of RELRO:
# ~35 page faults of a hello-world run), and only the shared libraries it uses
# (--as-needed: libm is not, so it is not mapped). Still dynamic: the JIT plugin is
# dlopen'ed and shares this libc (it hands over malloc'ed blocks).
TAHO_LDFLAGS := $(if $(SAN),,-no-pie -Wl,--as-needed)

$(B)/taho: $(CLI_OBJS) $(B)/libtaho.a
	$(CC) -o $@ $(CLI_OBJS) $(B)/libtaho.a $(TAHO_LDFLAGS) $(LDFLAGS)

$(B)/unit-tests: $(UNIT_OBJS) $(CLI_PART_OBJS) $(B)/libtaho.a
	$(CC) -o $@ $(UNIT_OBJS) $(CLI_PART_OBJS) $(B)/libtaho.a $(LDFLAGS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Compiled code keeps frame pointers; the helpers it calls do too, so a trap raised in
# a helper walks one unbroken chain into the compiled frames (tier_trace.c).
$(B)/src/runtime/tier.o $(B)/src/runtime/tier_trace.o: CFLAGS += -fno-omit-frame-pointer

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)

test: all
	bash scripts/test.sh

clean:
	rm -rf build build-san

.PHONY: all test clean

$(B)/libtaho-llvm.so: $(LLVM_SRCS) $(LLVM_CORE) $(wildcard src/llvm/*.h) src/runtime/tier.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell $(LLVM_CONFIG) --cflags 2>/dev/null) -fPIC -shared -o $@ \
	    $(LLVM_SRCS) $(LLVM_CORE) $(shell $(LLVM_CONFIG) --ldflags --libs 2>/dev/null) $(LDFLAGS)

# examples/: fib.wasm (C compiled to wasm32 with no imports) and the embedding example.
WASM_CC  := clang-19 --target=wasm32 -O2 -nostdlib -Wl,--no-entry
examples: $(B)/examples/fib.wasm $(B)/examples/hello.wasm $(if $(wildcard examples/embed.c),$(B)/examples/embed)

$(B)/examples/fib.wasm: examples/fib.c
	@mkdir -p $(dir $@)
	$(WASM_CC) -o $@ $<

# hello.wasm: a WASI command built against Debian's wasi-libc (sysroot /usr).
$(B)/examples/hello.wasm: examples/hello.c
	@mkdir -p $(dir $@)
	clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -o $@ $<

$(B)/examples/embed: examples/embed.c $(B)/libtaho.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libtaho.a $(LDFLAGS)

.PHONY: examples

# The library's sources, for scripts that build it their own way (tests/fuzz/run.sh).
print-lib-srcs:
	@echo $(LIB_SRCS)
.PHONY: print-lib-srcs

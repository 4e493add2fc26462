# The user-space C library: build/libc/libc.a and build/libc/crt0.o, and its
# host tests (tests/host/libc/*.c -> build/host/test_libc_*).  Included by
# the top Makefile; user/user.mk links the programs with it.
#
# Our system call ABI is Linux's (design contract 6), so the very same static
# binaries run on this Linux host: that is how libc and the programs are
# tested without QEMU.

GCC_INCLUDE  := $(shell $(CC) -print-file-name=include)
LIBGCC       := $(shell $(CC) -print-libgcc-file-name)

# Headers for all user code: ours (libc/include, then lib/include for the
# abi/ and lib/ headers shared with the kernel), then the compiler's own
# (stddef.h stdarg.h stdbool.h float.h, and stdint-gcc.h behind our stdint.h).
USER_INCLUDES := -nostdinc -isystem libc/include -isystem lib/include -isystem $(GCC_INCLUDE)
# -MD, not -MMD: our headers come in through -isystem, and -MMD leaves system headers out
# of the dependencies, so a changed abi/ or libc header would not rebuild what includes it.
USER_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -fno-stack-protector -fno-pie \
    $(USER_INCLUDES) -MD -MP
# libc itself is freestanding: in a hosted build gcc may turn code into calls
# of the very functions being defined (malloc + memset -> calloc, a loop ->
# memset).  FORMAT_FLOAT: printf's floating point (lib/format.c).
LIBC_CFLAGS   := $(USER_CFLAGS) -ffreestanding -DFORMAT_FLOAT
# Static, not position-independent, 4 KiB-aligned segments, default text address.
USER_LDFLAGS  := -static -nostdlib -no-pie -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack

LIBC_DIR      := $(BUILD)/libc
LIBC_A        := $(LIBC_DIR)/libc.a
CRT0          := $(LIBC_DIR)/crt0.o
LIBC_SOURCES  := $(wildcard libc/*/*.c) lib/format.c lib/string.c arch/$(ARCH)/string.c \
    $(filter-out %/crt0.S,$(wildcard libc/arch/$(ARCH)/*.S))
LIBC_OBJECTS  := $(patsubst %,$(LIBC_DIR)/obj/%.o,$(basename $(LIBC_SOURCES)))

# Link objects ($^ minus the libc parts) into a static user program $@.
define link_user_program
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(USER_LDFLAGS) -o $@ $(CRT0) $(filter %.o,$(filter-out $(CRT0),$^)) $(LIBC_A) $(LIBGCC)
endef

.PHONY: libc
libc: $(LIBC_A) $(CRT0)

$(LIBC_DIR)/obj/%.o: %.c libc/libc.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(LIBC_CFLAGS) -c $< -o $@

$(LIBC_DIR)/obj/%.o: %.S libc/libc.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(USER_INCLUDES) -MD -MP -c $< -o $@

$(CRT0): $(LIBC_DIR)/obj/libc/arch/$(ARCH)/crt0.o
	cp $< $@

# P: members keep their paths, so libc/stdio/io.o and libc/unistd/io.o both stay.
$(LIBC_A): $(LIBC_OBJECTS)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcsP $@ $^

# Host tests: our libc, as static Linux binaries.  Some exec the programs
# of build/bin, hence the order-only dependency on them.
LIBC_TEST_SOURCES := $(wildcard tests/host/libc/*.c)
LIBC_HOST_TESTS   := $(patsubst tests/host/libc/%.c,$(BUILD)/host/test_libc_%,$(LIBC_TEST_SOURCES))
.SECONDARY: $(patsubst tests/host/libc/%.c,$(BUILD)/host/libc-obj/%.o,$(LIBC_TEST_SOURCES))

$(BUILD)/host/libc-obj/%.o: tests/host/libc/%.c tests/host/check.h libc/libc.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) -Wno-format-truncation -Itests/host -c $< -o $@

$(BUILD)/host/test_libc_%: $(BUILD)/host/libc-obj/%.o $(CRT0) $(LIBC_A) | user
	$(link_user_program)

# headers.c includes every header: it must compile as strict C99 too.
$(BUILD)/host/libc-obj/headers.o: USER_CFLAGS += -std=c99 -pedantic-errors

# The float formatter against the host's glibc, on many random doubles: the
# one test that is built with the host C library instead of ours.
LIBC_HOST_TESTS += $(BUILD)/host/test_libc_format_vs_glibc
$(BUILD)/host/test_libc_format_vs_glibc: tests/host/libc/glibc/format_vs_glibc.c lib/format.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -DFORMAT_FLOAT -Itests/host -o $@ $< lib/format.c

# The CPU_* macros under glibc's <sched.h>: test_libc_affinity runs this helper
# (next to it) and compares its results with its own.
CPU_MACROS_GLIBC := $(BUILD)/host/cpu_macros_glibc
$(CPU_MACROS_GLIBC): tests/host/libc/glibc/cpu_macros_glibc.c tests/host/libc/cpu_macros.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ $<
$(BUILD)/host/test_libc_affinity: | $(CPU_MACROS_GLIBC)

HOST_TESTS += $(LIBC_HOST_TESTS)
host-tests: $(LIBC_HOST_TESTS)

-include $(LIBC_OBJECTS:.o=.d) $(LIBC_DIR)/obj/libc/arch/$(ARCH)/crt0.d
-include $(patsubst tests/host/libc/%.c,$(BUILD)/host/libc-obj/%.d,$(LIBC_TEST_SOURCES))

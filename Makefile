# The kernel, its bootable ISO, and the ways to run, test, measure and debug it.
# `make run` and `make test` install missing Debian packages first (tools/deps.sh).

ARCH        := x86_64
DEBUG       ?= 1
# Each build has its own tree, so objects of one never end up in the other:
# build/ for the default (debug) build, build/release/ for DEBUG=0.
ifeq ($(DEBUG),0)
BUILD       := build/release
else
BUILD       := build
endif
export BUILD
QEMU_MEMORY ?= 256M
# CPUs of the emulated machine for run, gdb, trace and the suite's boots (the SMP runs pick
# their own): 2, so threads really run in parallel (docs/smp.md); 1 to 8.
CPUS        ?= 2

CC          := gcc
LD          := ld
HOST_CC     := gcc

# Kernel code: freestanding, no red zone (interrupts use the stack), no SSE
# (we do not save FPU state), higher half (-mcmodel=kernel), frame pointers
# and no tail calls (backtraces that show every caller).
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
    -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-stack-protector \
    -fno-pic -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -mno-sse -mno-mmx \
    -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
    -fno-asynchronous-unwind-tables \
    -Iarch/$(ARCH)/include -Ikernel/include -Ilib/include -MMD -MP -DKERNEL
# The debug build: heap poisoning and canaries (HEAP_DEBUG), and checks of the lock rules
# that cost a little on every lock (KERNEL_DEBUG: kernel/include/kernel/spinlock.h).
ifeq ($(DEBUG),1)
KERNEL_CFLAGS += -DHEAP_DEBUG -DKERNEL_DEBUG
endif
KERNEL_ASFLAGS := -Iarch/$(ARCH)/include -MMD -MP
KERNEL_LDFLAGS := -nostdlib -n -T linker.ld -z max-page-size=0x1000 -z noexecstack

KERNEL_SOURCES := $(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S kernel/*.c lib/*.c tests/kernel/*.c)
KERNEL_OBJECTS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KERNEL_SOURCES))) $(BUILD)/obj/font.o
# The framebuffer console's font (lib/include/lib/font.h), made by tools/pf2font from the font
# GRUB ships (grub-common, which makes the ISO too): no glyph table typed in by hand.
GRUB_FONT   := /usr/share/grub/ascii.pf2

ISO_DIR     := $(BUILD)/iso

# Host unit tests: pure kernel and library code built with the host compiler,
# under AddressSanitizer and UBSan (except the string functions, which stand
# in for the host's own there).
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-format-truncation -Iarch/$(ARCH)/include -Ikernel/include -Ilib/include
HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_TESTS := $(addprefix $(BUILD)/host/,test_format test_heap test_cmdline test_string test_pcid test_avl test_acpi \
    test_fbcon fbcon-render)

.PHONY: all run test test-bochs test-host host-tests bench fuzz trace gdb clean release deps-build deps-qemu deps-bochs deps-plot deps-linux lab grade lab-check
all: $(BUILD)/kernel.elf $(BUILD)/os.iso

deps-build:
	@tools/deps.sh build
deps-qemu:
	@tools/deps.sh qemu
deps-bochs:
	@tools/deps.sh bochs
deps-plot:
	@tools/deps.sh plot
deps-linux:
	@tools/deps.sh linux

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/host/pf2font: tools/pf2font.c lib/include/lib/font.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ tools/pf2font.c
$(BUILD)/gen/font.c: $(BUILD)/host/pf2font | deps-build
	@mkdir -p $(dir $@)
	$(BUILD)/host/pf2font $(GRUB_FONT) > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/font.o: $(BUILD)/gen/font.c Makefile
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# Two links: the first with an empty symbol table, whose symbols are then
# embedded in the second.  .ksyms comes last in .rodata, after all code, so
# code addresses are the same in both links (checked below).
$(BUILD)/ksyms-empty.S: tools/mksyms.sh
	@mkdir -p $(BUILD)
	tools/mksyms.sh > $@
$(BUILD)/kernel-pass1.elf: $(KERNEL_OBJECTS) $(BUILD)/ksyms-empty.o linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(BUILD)/ksyms-empty.o
$(BUILD)/ksyms.S: $(BUILD)/kernel-pass1.elf tools/mksyms.sh
	tools/mksyms.sh $< > $@
$(BUILD)/%.o: $(BUILD)/%.S
	$(CC) -c $< -o $@
$(BUILD)/kernel.elf: $(KERNEL_OBJECTS) $(BUILD)/ksyms.o linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJECTS) $(BUILD)/ksyms.o
	@nm -n $(BUILD)/kernel-pass1.elf | grep ' [Tt] ' > $(BUILD)/syms1.txt
	@nm -n $@ | grep ' [Tt] ' > $(BUILD)/syms2.txt
	@cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || \
	    { echo "kernel.elf: code moved between link passes; the symbol table would lie"; rm -f $@; exit 1; }

# Programs built without our libc (tests/raw/): what a foreign static binary looks like.
RAW_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -ffreestanding -fno-stack-protector -fno-pie -nostdlib -static \
    -no-pie -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none
RAW_BINARIES := $(patsubst tests/raw/%.c,$(BUILD)/bin/%,$(wildcard tests/raw/*.c))
$(BUILD)/bin/%: tests/raw/%.c
	@mkdir -p $(dir $@)
	@echo "  RAW     $<"
	@$(CC) $(RAW_CFLAGS) -o $@ $<

# Unchanged Linux programs: tests/musl/NAME.c built by Debian's musl-gcc (musl's
# own libc, not ours) as a static executable, /bin/NAME like the others.
MUSL_BINARIES := $(patsubst tests/musl/%.c,$(BUILD)/bin/%,$(wildcard tests/musl/*.c))
$(BUILD)/bin/%: tests/musl/%.c | deps-build
	@mkdir -p $(dir $@)
	@echo "  MUSL    $<"
	@musl-gcc -static -O2 -g -Wall -Wextra -o $@ $<

# The initrd: every program as /bin/NAME, in a tar archive GRUB loads as a module,
# plus two broken executables for the exec tests.
# BusyBox: Debian's busybox-static, unchanged (a static glibc binary), as /bin/busybox; its
# tests (tests/busybox/*.sh, scripts for its ash, and the differential test's list) beside it.
BUSYBOX := /bin/busybox
BUSYBOX_TESTS := $(wildcard tests/busybox/*.sh tests/busybox/*.txt)
INITRD := $(BUILD)/initrd.tar
ROOTFS_FILES := $(wildcard rootfs/etc/*)
$(INITRD): $(RAW_BINARIES) $(MUSL_BINARIES) $(USER_BINARIES) $(BUSYBOX_TESTS) $(ROOTFS_FILES) | deps-build
	@rm -rf $(BUILD)/rootfs && mkdir -p $(BUILD)/rootfs/bin
	@cp $(filter-out %.sh %.txt rootfs/%,$^) $(BUILD)/rootfs/bin/
	@cp $(BUSYBOX) $(BUSYBOX_TESTS) $(BUILD)/rootfs/bin/
	@mkdir -p $(BUILD)/rootfs/usr/bin   # BusyBox's commands: hard links (tar keeps them) to /bin/busybox
	@for applet in $$($(BUSYBOX) --list); do ln -f $(BUILD)/rootfs/bin/busybox $(BUILD)/rootfs/usr/bin/$$applet; done
	@cd $(BUILD)/rootfs/bin && strip --strip-debug $$(ls | grep -v '\.sh$$\|\.txt$$')  # the debug info stays in build/bin/ for gdb
	@printf 'this is not an ELF file, nor a script\n' > $(BUILD)/rootfs/bin/not_elf
	@head -c 200 $(BUILD)/bin/raw_hello > $(BUILD)/rootfs/bin/truncated_elf
	@echo "  TAR     $@"
	@cp -r rootfs/etc $(BUILD)/rootfs/   # /etc: the files a Unix userland looks for (passwd, group)
	@tar --format=ustar --owner=0 --group=0 -cf $@ -C $(BUILD)/rootfs bin usr etc

# One ISO for BIOS and UEFI, CD or USB stick: tools/mkiso.sh (grub-mkrescue) says how.
$(BUILD)/os.iso: $(BUILD)/kernel.elf $(INITRD) iso/grub.cfg tools/mkiso.sh | deps-build
	@mkdir -p $(ISO_DIR)/boot/grub
	cp iso/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	cp $(BUILD)/kernel.elf $(ISO_DIR)/boot/kernel.elf
	cp $(INITRD) $(ISO_DIR)/boot/initrd.tar
	tools/mkiso.sh $(ISO_DIR) $@

# make run: the system on this terminal (serial console).  Quit QEMU with Ctrl-A x.
# make run INIT="/bin/prog args": headless, prog as process 1; make's status is its exit status.
# make run CPUS=N: a machine of N CPUs (1 to 8; 2 unless told).
# make run UEFI=1: through UEFI firmware (OVMF) instead of the BIOS: the same ISO boots both.
# make run KVM=1: on the host's CPU (-accel kvm -cpu host); refused with a message where KVM fails.
# make run SCREEN=1: QEMU's window shows the screen (VGA text, or the framebuffer console under UEFI).
RUN_FLAGS = --iso $(BUILD)/os.iso --memory $(QEMU_MEMORY) --cpus $(CPUS) $(if $(filter 1,$(UEFI)),--uefi) \
    $(if $(filter 1,$(KVM)),--kvm) $(if $(filter 1,$(SCREEN)),--screen)
run: all | deps-qemu
ifdef INIT
	@tools/run-qemu.sh $(RUN_FLAGS) --cmdline 'init="$(INIT)"'
else
	@tools/run-qemu.sh $(RUN_FLAGS) --interactive
endif

# The whole suite in the default build, then the user-mode tests again in the
# release build (DEBUG=0: no heap poisoning), so neither passes by luck.
test: all host-tests release | deps-qemu deps-bochs deps-plot
	@CPUS=$(CPUS) tests/run.sh

# The release build (DEBUG=0) into build/release/, from any make.
release:
	@$(MAKE) --no-print-directory DEBUG=0 all

# The user tests again under Bochs, whose CPU has PCID and INVPCID (part of make test).
test-bochs: all | deps-bochs
	@tests/run.sh --bochs-only

test-host: host-tests | deps-plot
	@tests/run.sh --host-only

host-tests: $(HOST_TESTS)
$(BUILD)/host/test_format: tests/host/test_format.c lib/format.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_format.c lib/format.c
$(BUILD)/host/test_heap: tests/host/test_heap.c kernel/heap.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -DHEAP_DEBUG -o $@ tests/host/test_heap.c kernel/heap.c
$(BUILD)/host/test_cmdline: tests/host/test_cmdline.c kernel/cmdline.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_cmdline.c kernel/cmdline.c
$(BUILD)/host/test_avl: tests/host/test_avl.c kernel/avl.c kernel/include/kernel/avl.h tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_avl.c kernel/avl.c -lm
$(BUILD)/host/test_pcid: tests/host/test_pcid.c arch/$(ARCH)/pcid.c arch/$(ARCH)/include/arch/pcid.h tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_pcid.c arch/$(ARCH)/pcid.c
$(BUILD)/host/test_acpi: tests/host/test_acpi.c arch/$(ARCH)/acpi.c arch/$(ARCH)/acpi.h tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_acpi.c arch/$(ARCH)/acpi.c
$(BUILD)/host/test_fbcon: tests/host/test_fbcon.c lib/fbcon.c lib/include/lib/fbcon.h $(BUILD)/gen/font.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tests/host/test_fbcon.c lib/fbcon.c $(BUILD)/gen/font.c
# tests/screen.sh: the text of the serial line drawn as the screen must show it.
$(BUILD)/host/fbcon-render: tools/fbcon-render.c lib/fbcon.c lib/include/lib/fbcon.h $(BUILD)/gen/font.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SANITIZE) -o $@ tools/fbcon-render.c lib/fbcon.c $(BUILD)/gen/font.c
$(BUILD)/host/test_string: tests/host/test_string.c lib/string.c arch/$(ARCH)/string.c tests/host/check.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -fno-builtin -o $@ tests/host/test_string.c lib/string.c arch/$(ARCH)/string.c

# make bench: bench -c booted in each mode (icount, tcg, bochs-pcid, bochs-nopcid) in the release
# build (DEBUG=0), plus icount in the debug build for the table of what the debug heap costs;
# every row into build/release/bench.csv, the modes side by side, threads vs processes plotted
# in build/release/bench.png.  The method and the results: docs/benchmarks.md.
# make bench MODE=linux: the same bench binary as /init of Debian's Linux kernel, under icount and
# in plain TCG, beside our kernel's rows in both (installs linux-image-cloud-amd64 first).
BENCH_MODES_linux := icount linux tcg linux-tcg
# make bench MODE=kvm: QEMU with KVM on the host's CPU, 1 CPU and 2: real cycles (refused with a
# message where /dev/kvm does not work, as on an emulated build machine; docs/benchmarks.md).
BENCH_MODES_kvm := kvm kvm-smp2
bench: all release | deps-qemu deps-bochs deps-plot $(if $(filter linux,$(MODE)),deps-linux)
	@BUILD=build/release tools/bench.sh $(if $(MODE),--modes "$(or $(BENCH_MODES_$(MODE)),$(MODE))")

# Labs (docs/labs.md): make lab LAB=NAME writes the lab's starting state to build/lab-NAME (the
# reference solution taken out, the stub put in); make grade LAB=NAME, in either tree, runs its
# graded tests (tests/labs/NAME.grade) and prints a score, exit 0 only at full marks; make
# lab-check checks every lab both ways (the committed tree full marks, each starting state less).
lab:
	@tools/lab.sh "$(LAB)" build/lab-$(LAB)

grade: all | deps-qemu
	@CPUS=$(CPUS) tools/grade.sh "$(LAB)"

lab-check: all | deps-qemu
	@tools/lab-check.sh

# make fuzz: the fuzzer (user/fuzz.c) as process 1 for FUZZ_CALLS calls from seed FUZZ_SEED, in the
# release build and then in the debug build; each must end with "fuzz: OK".  See docs/fuzzing.md.
FUZZ_SEED    ?= 1
FUZZ_CALLS   ?= 1000000
FUZZ_TIMEOUT ?= 1800
# Two CPUs: the processes and threads of the run really run at once (make fuzz FUZZ_CPUS=1: one).
FUZZ_CPUS    ?= 2
fuzz: all release | deps-qemu
	@FUZZ_SEED=$(FUZZ_SEED) FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) CPUS=$(FUZZ_CPUS) tools/fuzz.sh

# make trace INIT="/bin/prog args": prog runs under the scheduler trace (/bin/trace run) as process 1;
# what each CPU ran goes to $(BUILD)/trace.json (Chrome's trace event format: Perfetto,
# chrome://tracing) and $(BUILD)/trace.png.  Without INIT, /bin/spin_demo.  See docs/trace.md.
TRACE_INIT ?= /bin/spin_demo
trace: all | deps-qemu deps-plot
	@QEMU_MEMORY=$(QEMU_MEMORY) CPUS=$(CPUS) tools/trace.sh "$(or $(INIT),$(TRACE_INIT))"

# make gdb: QEMU waits for gdb at startup; gdb loads the symbols and stops at kmain.
# The kernel's serial output goes to build/gdb-serial.log (tail -f it in another terminal).
gdb: all | deps-qemu
	@tools/run-qemu.sh --iso $(BUILD)/os.iso --memory $(QEMU_MEMORY) --cpus $(CPUS) --gdb \
	    < /dev/null > $(BUILD)/gdb-serial.log 2>&1 & runner=$$!; \
	    echo "make gdb: serial output in $(BUILD)/gdb-serial.log"; \
	    gdb -q -x tools/gdbinit $(BUILD)/kernel.elf; \
	    pkill -P $$runner 2>/dev/null; wait

clean:
	rm -rf $(BUILD)

# The user side: libc (libc/libc.mk) and the programs of user/ and tests/user/ (user/user.mk).
-include libc/libc.mk user/user.mk

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

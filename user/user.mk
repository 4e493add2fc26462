# The user programs: every user/NAME.c and tests/user/NAME.c becomes the
# static executable build/bin/NAME, linked with libc (libc/libc.mk).
# `make user` builds them all; USER_BINARIES lists them for the initrd.

USER_SOURCES  := $(wildcard user/*.c tests/user/*.c)
USER_BINARIES := $(addprefix $(BUILD)/bin/,$(notdir $(basename $(USER_SOURCES))))
USER_OBJ_DIR  := $(BUILD)/user/obj
USER_OBJECTS  := $(patsubst %.c,$(USER_OBJ_DIR)/%.o,$(USER_SOURCES))

# Keep the objects (make would delete them as intermediates): faster relinks.
.SECONDARY: $(USER_OBJECTS)

.PHONY: user
user: $(USER_BINARIES)

$(USER_OBJ_DIR)/%.o: %.c libc/libc.mk user/user.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/bin/%: $(USER_OBJ_DIR)/user/%.o $(CRT0) $(LIBC_A)
	$(link_user_program)

$(BUILD)/bin/%: $(USER_OBJ_DIR)/tests/user/%.o $(CRT0) $(LIBC_A)
	$(link_user_program)

-include $(patsubst %.c,$(USER_OBJ_DIR)/%.d,$(USER_SOURCES))

# The top Makefile's initrd rule is read before this file, when USER_BINARIES
# was still empty: add them to its prerequisites (and so to its $^) here.
ifdef INITRD
$(INITRD): $(USER_BINARIES)
endif

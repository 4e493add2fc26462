#ifndef ARCH_X86_64_KEYBOARD_H
#define ARCH_X86_64_KEYBOARD_H

#include <stdbool.h>

/* Set up the PS/2 keyboard, if the machine has its controller; false if not. */
bool keyboard_init(void);

/* Read the keys waiting, giving each character (or escape sequence) typed to put. */
void keyboard_read(void (*put)(char c));

#endif

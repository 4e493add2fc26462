#ifndef ARCH_X86_64_PIC_H
#define ARCH_X86_64_PIC_H

#include <stdbool.h>

void pic_init(void);
void pic_unmask(unsigned line);
void pic_eoi(unsigned line);
bool pic_is_spurious(unsigned line);

#endif

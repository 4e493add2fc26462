/*
 * /proc (kernel/procfs.c): processes, threads and the system as files in
 * Linux's formats, made when read.
 */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

/* Make /proc (at boot, after fs_init). */
void procfs_init(void);

#endif

/*
 * Memory protections and mapping flags of mmap, mprotect and munmap:
 * Linux x86_64's values (design contract 6), shared by the kernel and libc.
 */
#ifndef ABI_MMAN_H
#define ABI_MMAN_H

#define PROT_NONE       0x0         /* no access */
#define PROT_READ       0x1         /* may be read */
#define PROT_WRITE      0x2         /* may be written */
#define PROT_EXEC       0x4         /* may be executed */

#define MAP_SHARED      0x01        /* changes are shared (and reach the file) */
#define MAP_PRIVATE     0x02        /* changes are private (copy on write) */
#define MAP_SHARED_VALIDATE 0x03    /* MAP_SHARED, failing on unknown flags */
#define MAP_TYPE        0x0f        /* mask of the sharing type */
#define MAP_FIXED       0x10        /* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS   0x20        /* no file: zero-filled memory */
#define MAP_GROWSDOWN   0x0100      /* a stack that grows down */
#define MAP_DENYWRITE   0x0800      /* ignored (historical) */
#define MAP_EXECUTABLE  0x1000      /* ignored (historical) */
#define MAP_LOCKED      0x2000      /* lock the pages in memory */
#define MAP_NORESERVE   0x4000      /* reserve no swap space */
#define MAP_POPULATE    0x8000      /* fill the page tables now */
#define MAP_NONBLOCK    0x10000     /* with MAP_POPULATE: do not block on reads */
#define MAP_STACK       0x20000     /* the mapping is a stack */
#define MAP_HUGETLB     0x40000     /* use huge pages */
#define MAP_FIXED_NOREPLACE 0x100000 /* MAP_FIXED, failing with EEXIST over a mapping */

/* madvise's advice: the kernel acts on DONTNEED and FREE (the pages go; private ones read as zeros). */
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8

/* mremap's flags. */
#define MREMAP_MAYMOVE      1   /* move the mapping if it cannot grow where it is */
#define MREMAP_FIXED        2   /* move it to new_address (with MREMAP_MAYMOVE) */
#define MREMAP_DONTUNMAP    4   /* leave the old range mapped: not supported (EINVAL) */

/* msync's flags: accepted (a file's pages are the file: nothing to write back). */
#define MS_ASYNC        1
#define MS_INVALIDATE   2
#define MS_SYNC         4

#endif

/*
 * lseek()'s whence and access()'s modes: Linux x86_64's values (design
 * contract 6), shared by the kernel and libc (unistd.h, stdio.h, fcntl.h).
 */
#ifndef ABI_UNISTD_H
#define ABI_UNISTD_H

#define SEEK_SET 0      /* lseek: from the start of the file */
#define SEEK_CUR 1      /* lseek: from the current offset */
#define SEEK_END 2      /* lseek: from the end of the file */

#define F_OK 0          /* access: the file exists */
#define X_OK 1          /* access: may execute (search, for a directory) */
#define W_OK 2          /* access: may write */
#define R_OK 4          /* access: may read */

#endif

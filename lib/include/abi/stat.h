/*
 * File types and permission bits of st_mode (struct stat) and of the mode
 * arguments of open, mkdir and chmod: Linux's values (design contract 6),
 * shared by the kernel and libc.
 */
#ifndef ABI_STAT_H
#define ABI_STAT_H

#define S_IFMT   0170000    /* mask of the file type: */
#define S_IFSOCK 0140000    /*   socket */
#define S_IFLNK  0120000    /*   symbolic link */
#define S_IFREG  0100000    /*   regular file */
#define S_IFBLK  0060000    /*   block device */
#define S_IFDIR  0040000    /*   directory */
#define S_IFCHR  0020000    /*   character device */
#define S_IFIFO  0010000    /*   pipe (FIFO) */

#define S_ISUID  04000      /* set user id on execution */
#define S_ISGID  02000      /* set group id on execution */
#define S_ISVTX  01000      /* sticky: only owners may remove entries of the directory */
#define S_IRWXU  0700       /* owner: read, write, execute */
#define S_IRUSR  0400       /* owner: read */
#define S_IWUSR  0200       /* owner: write */
#define S_IXUSR  0100       /* owner: execute (search) */
#define S_IRWXG  070        /* group: read, write, execute */
#define S_IRGRP  040        /* group: read */
#define S_IWGRP  020        /* group: write */
#define S_IXGRP  010        /* group: execute (search) */
#define S_IRWXO  07         /* others: read, write, execute */
#define S_IROTH  04         /* others: read */
#define S_IWOTH  02         /* others: write */
#define S_IXOTH  01         /* others: execute (search) */

#endif

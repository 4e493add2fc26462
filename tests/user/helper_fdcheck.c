/*
 * Exec target for the descriptor tests: helper_fdcheck FD [TEXT].  Exits 0
 * if descriptor FD is open (after writing TEXT to it, when given, so the
 * test can see it is the same open file), 1 if it is not, 2 on bad usage,
 * 3 if the write failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        return 2;
    int fd = atoi(argv[1]);
    if (fcntl(fd, F_GETFD) < 0)
        return errno == EBADF ? 1 : 2;
    if (argc == 3 && write(fd, argv[2], strlen(argv[2])) != (ssize_t)strlen(argv[2]))
        return 3;
    return 0;
}

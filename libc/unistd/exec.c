/*
 * The exec family.  All of them end in execve; the "p" forms search the
 * directories of PATH ("/bin" when PATH is unset) for a name without '/',
 * the "l" forms take the arguments as a NULL-terminated parameter list.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../internal/syscall.h"

#define DEFAULT_PATH "/bin"

int execve(const char *path, char *const argv[], char *const envp[])
{
    return (int)SYSCALL3(SYS_execve, path, argv, envp);
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
    return execvpe(file, argv, environ);
}

/* Try dir/file; returns only on failure, with errno set. */
static void try_directory(const char *dir, size_t dir_len, const char *file,
                          char *const argv[], char *const envp[])
{
    char path[PATH_MAX];
    size_t file_len = strlen(file);
    if (dir_len == 0)                   /* an empty PATH entry means "." */
        dir = ".", dir_len = 1;
    if (dir_len + 1 + file_len + 1 > sizeof path) {
        errno = ENAMETOOLONG;
        return;
    }
    memcpy(path, dir, dir_len);
    path[dir_len] = '/';
    memcpy(path + dir_len + 1, file, file_len + 1);
    execve(path, argv, envp);
}

/*
 * Search PATH.  Missing files move on to the next directory; any other error
 * ends the search, except that EACCES is remembered and reported if nothing
 * else is found (POSIX).
 */
int execvpe(const char *file, char *const argv[], char *const envp[])
{
    if (!*file) {
        errno = ENOENT;
        return -1;
    }
    if (strchr(file, '/'))
        return execve(file, argv, envp);
    const char *path = getenv("PATH");
    if (!path)
        path = DEFAULT_PATH;
    int denied = 0;
    for (const char *dir = path;; dir++) {
        const char *end = strchrnul(dir, ':');
        try_directory(dir, (size_t)(end - dir), file, argv, envp);
        if (errno == EACCES)
            denied = 1;
        else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
            return -1;
        if (!*end)
            break;
        dir = end;
    }
    errno = denied ? EACCES : ENOENT;
    return -1;
}

enum exec_kind { EXEC_PATH, EXEC_SEARCH, EXEC_ENVIRONMENT };

/* Collect the "l" form's arguments (and for execle the environment) from *ap. */
static int exec_list(enum exec_kind kind, const char *file, const char *arg, va_list *ap)
{
    va_list counter;
    va_copy(counter, *ap);
    size_t count = 0;
    for (const char *a = arg; a; a = va_arg(counter, const char *))
        count++;
    va_end(counter);

    char *argv[count + 1];
    argv[0] = (char *)arg;
    for (size_t i = 1; i <= count; i++)     /* the last one read is the NULL */
        argv[i] = va_arg(*ap, char *);
    char *const *envp = environ;
    if (kind == EXEC_ENVIRONMENT)
        envp = va_arg(*ap, char *const *);
    if (kind == EXEC_SEARCH)
        return execvpe(file, argv, envp);
    return execve(file, argv, envp);
}

int execl(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int result = exec_list(EXEC_PATH, path, arg, &ap);
    va_end(ap);
    return result;
}

int execlp(const char *file, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int result = exec_list(EXEC_SEARCH, file, arg, &ap);
    va_end(ap);
    return result;
}

int execle(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int result = exec_list(EXEC_ENVIRONMENT, path, arg, &ap);
    va_end(ap);
    return result;
}

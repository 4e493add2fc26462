/* Small stdlib functions: arithmetic helpers, system(), mkstemp(). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL_PATH          "/bin/sh"
#define EXEC_FAILED_STATUS  127     /* what a shell reports for "cannot run" */
#define TEMPLATE_SUFFIX     "XXXXXX"
#define TEMPLATE_SUFFIX_LEN 6
#define MKSTEMP_ATTEMPTS    100
#define TEMP_FILE_MODE      0600

int abs(int n) { return n < 0 ? -n : n; }
long labs(long n) { return n < 0 ? -n : n; }
long long llabs(long long n) { return n < 0 ? -n : n; }
div_t div(int a, int b) { return (div_t){ a / b, a % b }; }
ldiv_t ldiv(long a, long b) { return (ldiv_t){ a / b, a % b }; }
lldiv_t lldiv(long long a, long long b) { return (lldiv_t){ a / b, a % b }; }

/* Run command with "sh -c"; returns its wait status (-1 if it could not start). */
int system(const char *command)
{
    if (!command)
        return access(SHELL_PATH, X_OK) == 0;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execl(SHELL_PATH, "sh", "-c", command, (char *)NULL);
        _exit(EXEC_FAILED_STATUS);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

/* Replace the template's trailing XXXXXX until an exclusive create succeeds. */
int mkstemp(char *template)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(template);
    if (len < TEMPLATE_SUFFIX_LEN || strcmp(template + len - TEMPLATE_SUFFIX_LEN, TEMPLATE_SUFFIX)) {
        errno = EINVAL;
        return -1;
    }
    char *x = template + len - TEMPLATE_SUFFIX_LEN;
    unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
    for (int attempt = 0; attempt < MKSTEMP_ATTEMPTS; attempt++) {
        for (int i = 0; i < TEMPLATE_SUFFIX_LEN; i++)
            x[i] = letters[rand_r(&seed) % (sizeof letters - 1)];
        int fd = open(template, O_RDWR | O_CREAT | O_EXCL, TEMP_FILE_MODE);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

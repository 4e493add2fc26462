/* stdio on our libc: buffering modes, FILE on a temporary file, reading helpers, scanf. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* Bytes waiting in a pipe's read end right now (non-blocking read of up to size - 1). */
static int pending(int fd, char *buf, int size)
{
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int n = (int)read(fd, buf, (size_t)size - 1);
    fcntl(fd, F_SETFL, flags);
    buf[n > 0 ? n : 0] = '\0';
    return n > 0 ? n : 0;
}

/* A full buffer holds output until fflush; a line buffer until '\n'; no buffer not at all. */
static int buffering_modes(void)
{
    int fds[2];
    char got[64];
    CHECK(pipe(fds) == 0, "pipe");
    FILE *f = fdopen(fds[1], "w");
    CHECK(f && setvbuf(f, NULL, _IOFBF, 0) == 0, "fdopen/setvbuf");
    fputs("full", f);
    CHECK(pending(fds[0], got, sizeof got) == 0, "fully buffered output leaked: \"%s\"", got);
    fflush(f);
    CHECK(pending(fds[0], got, sizeof got) == 4 && strcmp(got, "full") == 0, "after fflush: \"%s\"", got);
    setvbuf(f, NULL, _IOLBF, 0);
    fputs("line", f);
    CHECK(pending(fds[0], got, sizeof got) == 0, "line buffer flushed before the newline: \"%s\"", got);
    fputs(" end\nmore", f);
    CHECK(pending(fds[0], got, sizeof got) == 13 && strcmp(got, "line end\nmore") == 0,
          "at the newline: \"%s\"", got);
    setvbuf(f, NULL, _IONBF, 0);
    fprintf(f, "%d%s", 7, "x");
    CHECK(pending(fds[0], got, sizeof got) == 2 && strcmp(got, "7x") == 0, "unbuffered: \"%s\"", got);
    fclose(f);
    close(fds[0]);
    return 1;
}

/* Output buffered at exit() is written; after _exit() it is lost, as it should be. */
static int flushed_at_exit(void)
{
    int fds[2];
    char got[64];
    CHECK(pipe(fds) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        printf("kept");             /* stdout is a pipe: fully buffered */
        exit(0);
    }
    close(fds[1]);
    waitpid(pid, NULL, 0);
    CHECK(pending(fds[0], got, sizeof got) == 4 && strcmp(got, "kept") == 0, "exit lost \"%s\"", got);
    close(fds[0]);
    CHECK(pipe(fds) == 0, "pipe");
    if ((pid = fork()) == 0) {
        dup2(fds[1], STDOUT_FILENO);
        printf("lost");
        _exit(0);
    }
    close(fds[1]);
    waitpid(pid, NULL, 0);
    CHECK(pending(fds[0], got, sizeof got) == 0, "_exit flushed \"%s\"", got);
    close(fds[0]);
    return 1;
}

static FILE *temp_file(char *path)
{
    strcpy(path, "/tmp/libc-stdio-XXXXXX");
    int fd = mkstemp(path);
    return fd < 0 ? NULL : fdopen(fd, "w+");
}

/* Write, seek, read back, tell, EOF, error on a temporary file. */
static int file_round_trip(void)
{
    char path[32], line[64];
    FILE *f = temp_file(path);
    CHECK(f != NULL, "temp file: %s", strerror(errno));
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %d\n", i);
    long size = ftell(f);
    CHECK(size == 8890, "ftell after writing: %ld", size);
    rewind(f);
    CHECK(fgets(line, sizeof line, f) && strcmp(line, "line 0\n") == 0, "first line \"%s\"", line);
    CHECK(ftell(f) == 7, "ftell after a line: %ld", ftell(f));
    CHECK(fseek(f, -9, SEEK_END) == 0 && fgets(line, sizeof line, f) && strcmp(line, "line 999\n") == 0,
          "last line \"%s\"", line);
    CHECK(fgetc(f) == EOF && feof(f) && !ferror(f), "EOF state");
    CHECK(fseek(f, 5, SEEK_SET) == 0 && !feof(f) && getc(f) == '0', "seek into the file");
    CHECK(ungetc('Z', f) == 'Z' && getc(f) == 'Z' && getc(f) == '\n', "ungetc");
    char block[8890];
    rewind(f);
    CHECK(fread(block, 1, sizeof block, f) == sizeof block && memcmp(block + 8881, "line 999", 8) == 0,
          "fread of the whole file");
    CHECK(fileno(f) >= 0 && fclose(f) == 0, "fclose");
    f = fopen(path, "a");
    CHECK(f && fputs("tail\n", f) >= 0 && fclose(f) == 0, "append");
    f = fopen(path, "r");
    CHECK(f && fseek(f, -5, SEEK_END) == 0 && fgets(line, sizeof line, f) && strcmp(line, "tail\n") == 0,
          "appended \"%s\"", line);
    CHECK(fputc('x', f) == EOF && ferror(f), "writing a read-only stream must fail");
    fclose(f);
    CHECK(fopen("/nonexistent/dir/file", "r") == NULL && errno == ENOENT, "fopen of a missing file");
    CHECK(fopen(path, "q") == NULL && errno == EINVAL, "a bad mode");
    unlink(path);
    return 1;
}

static int getline_and_scanf(void)
{
    char path[32];
    FILE *f = temp_file(path);
    CHECK(f != NULL, "temp file");
    fputs("first line\n\n  42 -17 0x1f 3.25 word [rest]\nlast", f);
    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    CHECK(getline(&line, &cap, f) == 11 && strcmp(line, "first line\n") == 0, "getline \"%s\"", line);
    CHECK(getline(&line, &cap, f) == 1 && strcmp(line, "\n") == 0, "empty line");
    int a, b, c;
    double d;
    char word[16], rest[16];
    int n = fscanf(f, "%d %d %x %lf %15s [%15[^]]]", &a, &b, &c, &d, word, rest);
    CHECK(n == 6 && a == 42 && b == -17 && c == 31 && d == 3.25 && strcmp(word, "word") == 0 &&
          strcmp(rest, "rest") == 0, "fscanf: %d: %d %d %d %f %s %s", n, a, b, c, d, word, rest);
    CHECK(getline(&line, &cap, f) == 1 && getline(&line, &cap, f) == 4 && strcmp(line, "last") == 0,
          "a last line without newline: \"%s\"", line);
    CHECK(getline(&line, &cap, f) == -1 && fscanf(f, "%d", &a) == EOF, "end of file");
    free(line);
    fclose(f);
    unlink(path);
    long l;
    char ch;
    CHECK(sscanf("12abc", "%d%c", &a, &ch) == 2 && a == 12 && ch == 'a', "sscanf %%d%%c");
    CHECK(sscanf("x=5", "y=%d", &a) == 0, "a literal mismatch converts nothing");
    CHECK(sscanf("  ", "%d", &a) == EOF, "only blanks: EOF");
    CHECK(sscanf("077 -0x10 9", "%i %i %2ld", &a, &b, &l) == 3 && a == 63 && b == -16 && l == 9,
          "%%i prefixes");
    CHECK(sscanf("abc 1", "%*s %d%n", &a, &b) == 1 && a == 1 && b == 5, "%%* and %%n");
    return 1;
}

/* popen both ways, pclose's status, tmpfile that vanishes. */
static int popen_and_tmpfile(void)
{
    FILE *in = popen("echo popen works; exit 3", "r");
    CHECK(in, "popen r: %s", strerror(errno));
    char line[64] = "";
    CHECK(fgets(line, sizeof line, in) && strcmp(line, "popen works\n") == 0, "read \"%s\"", line);
    int status = pclose(in);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "pclose status %#x", status);
    FILE *out = popen("read x; test \"$x\" = hello", "w");
    CHECK(out && fputs("hello\n", out) >= 0, "popen w");
    status = pclose(out);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the command did not read hello: %#x", status);
    CHECK(popen("true", "x") == NULL && errno == EINVAL, "a bad mode");
    FILE *t = tmpfile();
    CHECK(t && fputs("scratch", t) >= 0 && fseek(t, 0, SEEK_SET) == 0, "tmpfile");
    CHECK(fgets(line, sizeof line, t) && strcmp(line, "scratch") == 0, "tmpfile read \"%s\"", line);
    fclose(t);
    return 1;
}

int main(void)
{
    RUN(buffering_modes);
    RUN(flushed_at_exit);
    RUN(file_round_trip);
    RUN(getline_and_scanf);
    RUN(popen_and_tmpfile);
    return failures != 0;
}

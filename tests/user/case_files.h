/*
 * Small file helpers for the shared case headers (*_cases.h), which run
 * both on the Linux host and in our kernel: a fresh directory per case,
 * writing a file, and checking what it reads.
 */
#ifndef TESTS_USER_CASE_FILES_H
#define TESTS_USER_CASE_FILES_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory of the case's own, /tmp/PREFIX_TAG_PID, made if it is not there: buf. */
static const char *case_dir(char *buf, size_t size, const char *prefix, const char *tag)
{
    snprintf(buf, size, "/tmp/%s_%s_%d", prefix, tag, (int)getpid());
    mkdir(buf, 0700);
    return buf;
}

/* path holds exactly text afterwards: 1, or 0 if it could not be written. */
static int case_write(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    if (fd >= 0)
        close(fd);
    return ok;
}

/* 1 if path reads exactly text (up to 63 bytes). */
static int case_reads(const char *path, const char *text)
{
    char buf[64] = { 0 };
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

#endif

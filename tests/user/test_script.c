/*
 * "#!" scripts (issue 13): the cases of script_cases.h, which pass on the
 * Linux host too, a script run by BusyBox's ash, bad "#!" lines, and every
 * page and heap byte back.
 */
#include "utest.h"
#include "script_cases.h"

#define LONG_LINE 300           /* past the 256 bytes the "#!" line must end within */

/* The shared cases return 1, or end the test through utest's CHECK: each runs under its own name. */
#define SHARED(name) static void name##_(void) { (void)name(); }
#define RUN_SHARED(name) utest_run(#name, name##_)
SHARED(sc_interpreter_and_argument)
SHARED(sc_errors)

/* A script for BusyBox's ash ("#!/bin/busybox sh": the interpreter's argument is the applet). */
static void busybox_script(void)
{
    char path[64], out[128];
    snprintf(path, sizeof path, "/tmp/sc_bb_%d", (int)getpid());
    CHECK(sc_write(path, "#!/bin/busybox sh\necho \"$((40 + 2)) $1\"\n"), "the script");
    CHECK(sc_run(path, (char *[]){ "x", "arg", NULL }, out, sizeof out) == 0 && strcmp(out, "42 arg\n") == 0,
          "it printed \"%s\"", out);
    unlink(path);
}

/* "#!" lines that name nothing, or do not end in time: ENOEXEC, as a file that is no program. */
static void bad_lines(void)
{
    char path[64], text[LONG_LINE + 8];
    snprintf(path, sizeof path, "/tmp/sc_bad_%d", (int)getpid());
    CHECK(sc_write(path, "#!\n"), "an empty line");
    CHECK(execv(path, (char *[]){ "x", NULL }) == -1 && errno == ENOEXEC, "no interpreter: %s", strerror(errno));
    memset(text, 'a', sizeof text);
    memcpy(text, "#!/", 3);
    text[sizeof text - 1] = '\0';
    CHECK(sc_write(path, text), "a long line");
    CHECK(execv(path, (char *[]){ "x", NULL }) == -1 && errno == ENOEXEC, "no end of line: %s", strerror(errno));
    CHECK(execv("/bin/not_elf", (char *[]){ "x", NULL }) == -1 && errno == ENOEXEC, "neither ELF nor script");
    unlink(path);
}

int main(void)
{
    printf("test_script: #! scripts: interpreter, argument, errors, BusyBox\n");
    RUN_SHARED(sc_interpreter_and_argument);    /* the harness's first pages, before the leak check */
    struct os_stats start = utest_settled();
    RUN_SHARED(sc_interpreter_and_argument);
    RUN_SHARED(sc_errors);
    RUN(busybox_script);
    RUN(bad_lines);
    utest_pages_back("pages_back", start);
    return utest_finish();
}

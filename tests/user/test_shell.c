/*
 * The shell and the programs of issue 5, as a user drives them: /bin/sh -c
 * with pipelines ("seq 1 100000 | wc -l", "ls /bin | wc -l", "yes | head
 * -n 3", "ps | grep sh | wc -l"), the redirections >, >> and <, $?, and
 * "sh script"; each one's output is captured through a pipe and compared
 * exactly.  And yes must die of SIGPIPE, and nothing may leak.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include "utest.h"

#define OUTPUT_MAX  8192
#define STDERR_FILE "/tmp/sh_stderr"
#define FIRST_FD_TO_CLOSE 3
#define LAST_FD_TO_CLOSE  63
#define LEAK_ROUNDS 10

struct result {
    char out[OUTPUT_MAX];       /* standard output, NUL-terminated */
    char err[OUTPUT_MAX];       /* standard error */
    int status;                 /* the shell's wait status */
};

/* Read fd to end of file into buf (NUL-terminated, truncated to size - 1). */
static void read_all(int fd, char *buf, size_t size)
{
    size_t used = 0;
    ssize_t n;
    char discard[256];
    while ((n = read(fd, used < size - 1 ? buf + used : discard,
                     used < size - 1 ? size - 1 - used : sizeof discard)) > 0)
        if (used < size - 1)
            used += (size_t)n;
    buf[used] = '\0';
}

/*
 * Run argv (a shell command) with an empty standard input, its standard
 * output captured through a pipe and its standard error through a file.
 */
static void run(char *const argv[], struct result *r)
{
    int in[2], out[2];
    CHECK(pipe(in) == 0 && pipe(out) == 0, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int err = open(STDERR_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        for (int fd = FIRST_FD_TO_CLOSE; fd <= LAST_FD_TO_CLOSE; fd++)
            close(fd);
        execv("/bin/sh", argv);
        _exit(126);
    }
    close(in[0]);
    close(in[1]);               /* the shell's input is empty */
    close(out[1]);
    read_all(out[0], r->out, sizeof r->out);
    close(out[0]);
    CHECK(waitpid(pid, &r->status, 0) == pid, "waitpid: %s", strerror(errno));
    int err = open(STDERR_FILE, O_RDONLY);
    CHECK(err >= 0, "open %s: %s", STDERR_FILE, strerror(errno));
    read_all(err, r->err, sizeof r->err);
    close(err);
    unlink(STDERR_FILE);
}

/* sh -c line. */
static void sh_c(const char *line, struct result *r)
{
    run((char *[]){ "sh", "-c", (char *)line, NULL }, r);
}

/* Run line; its output must be exactly want, and the shell must exit 0 with nothing on stderr. */
static void expect(const char *line, const char *want)
{
    static struct result r;
    sh_c(line, &r);
    CHECK(strcmp(r.out, want) == 0, "sh -c '%s' printed \"%s\", expected \"%s\" (stderr \"%s\")",
          line, r.out, want, r.err);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "sh -c '%s': status %#x", line, r.status);
    CHECK(r.err[0] == '\0', "sh -c '%s' wrote to stderr: \"%s\"", line, r.err);
}

static void make_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "%s: %s", path, strerror(errno));
    close(fd);
}

static void slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
    read_all(fd, buf, size);
    close(fd);
}

/* ---- tests ---- */

static void warm_up(void)
{
    expect("echo warm | cat > /tmp/sh_warm; cat < /tmp/sh_warm; rm /tmp/sh_warm", "warm\n");
}

static void seq_into_wc(void)
{
    expect("seq 1 100000 | wc -l", "100000\n");
    expect("seq 3 | wc", "      3       3       6\n");
}

static void ls_bin_into_wc(void)
{
    DIR *d = opendir("/bin");
    CHECK(d, "opendir: %s", strerror(errno));
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        count += e->d_name[0] != '.';
    closedir(d);
    char want[32];
    snprintf(want, sizeof want, "%d\n", count);
    CHECK(count > 10, "/bin has %d entries", count);
    expect("ls /bin | wc -l", want);
}

static void echo_into_file_then_cat(void)
{
    char content[64];
    expect("echo hi > /tmp/a; cat /tmp/a", "hi\n");
    slurp("/tmp/a", content, sizeof content);
    CHECK(strcmp(content, "hi\n") == 0, "the file holds \"%s\"", content);
    expect("echo bye > /tmp/a; cat /tmp/a", "bye\n");          /* > truncates */
    unlink("/tmp/a");
}

static void yes_into_head_ends(void)
{
    expect("yes | head -n 3", "y\ny\ny\n");
    expect("yes | head -n 3; echo $?", "y\ny\ny\n0\n");
    expect("yes two words | head -n 2", "two words\ntwo words\n");
}

/* The same pipeline built here: yes must be killed by SIGPIPE once head is gone. */
static void yes_dies_of_sigpipe(void)
{
    int fds[2], out[2];
    CHECK(pipe(fds) == 0 && pipe(out) == 0, "pipe: %s", strerror(errno));
    pid_t yes = fork();
    if (yes == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        close(out[0]);
        close(out[1]);
        execv("/bin/yes", (char *[]){ "yes", NULL });
        _exit(126);
    }
    pid_t head = fork();
    if (head == 0) {
        dup2(fds[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        close(out[0]);
        close(out[1]);
        execv("/bin/head", (char *[]){ "head", "-n", "3", NULL });
        _exit(126);
    }
    close(fds[0]);
    close(fds[1]);
    close(out[1]);
    char text[64];
    read_all(out[0], text, sizeof text);
    close(out[0]);
    int status;
    CHECK(waitpid(head, &status, 0) == head && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "head: status %#x", status);
    CHECK(strcmp(text, "y\ny\ny\n") == 0, "head printed \"%s\"", text);
    CHECK(waitpid(yes, &status, 0) == yes, "waitpid yes");
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "yes ended with status %#x, not SIGPIPE", status);
}

static void append_redirection(void)
{
    expect("echo one > /tmp/sh_b; echo two >> /tmp/sh_b; cat /tmp/sh_b", "one\ntwo\n");
    expect("seq 2 >> /tmp/sh_b; wc -l < /tmp/sh_b", "4\n");
    expect("echo new >> /tmp/sh_new; cat /tmp/sh_new", "new\n");           /* >> creates */
    unlink("/tmp/sh_b");
    unlink("/tmp/sh_new");
}

static void input_redirection(void)
{
    static struct result r;
    make_file("/tmp/sh_in", "b\na\nb\n");
    expect("wc -l < /tmp/sh_in", "3\n");
    expect("grep -c b < /tmp/sh_in", "2\n");
    expect("cat < /tmp/sh_in | grep -n a", "2:a\n");
    expect("head -n 1 < /tmp/sh_in > /tmp/sh_out; cat /tmp/sh_out", "b\n");
    sh_c("cat < /tmp/sh_nosuch; echo $?", &r);
    CHECK(strcmp(r.out, "1\n") == 0, "a missing input file: \"%s\"", r.out);
    CHECK(strstr(r.err, "/tmp/sh_nosuch") != NULL, "no message about the missing file: \"%s\"", r.err);
    unlink("/tmp/sh_in");
    unlink("/tmp/sh_out");
}

static void exit_status_variable(void)
{
    static struct result r;
    expect("false; echo $?; true; echo $?", "1\n0\n");
    expect("sh -c 'exit 3'; echo $?", "3\n");
    expect("echo x | grep y; echo $?", "1\n");
    expect("echo y | grep y; echo $?", "y\n0\n");
    expect("true | false; echo $?", "1\n");         /* a pipeline's status is its last command's */
    expect("false | true; echo $?", "0\n");
    sh_c("grep x /tmp/sh_nosuch; echo $?", &r);
    CHECK(strcmp(r.out, "2\n") == 0, "grep's status for a missing file: \"%s\"", r.out);
    sh_c("no_such_command; echo $?", &r);
    CHECK(strcmp(r.out, "127\n") == 0, "a missing command: \"%s\"", r.out);
    sh_c("exit 5", &r);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 5, "exit 5: status %#x", r.status);
    sh_c("false", &r);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 1, "the shell's status is the last command's: %#x",
          r.status);
}

static void script_file(void)
{
    static struct result r;
    make_file("/tmp/sh_script",
              "# a comment line\n"
              "echo start $1\n"
              "seq 1 10 | grep 1 | wc -l\n"
              "echo $# > /tmp/sh_script_out\n"
              "cat < /tmp/sh_script_out\n"
              "false\n"
              "echo $?\n"
              "rm /tmp/sh_script_out\n");
    run((char *[]){ "sh", "/tmp/sh_script", "arg1", NULL }, &r);
    CHECK(strcmp(r.out, "start arg1\n2\n1\n1\n") == 0, "the script printed \"%s\" (stderr \"%s\")", r.out, r.err);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "status %#x", r.status);
    struct stat st;
    CHECK(stat("/tmp/sh_script_out", &st) < 0, "the script's rm did not run");
    unlink("/tmp/sh_script");
}

static void long_pipelines(void)
{
    expect("seq 1 1000 | grep 7 | grep -v 77 | wc -l", "252\n");
    expect("echo x | cat | cat | cat | cat | wc -c", "2\n");
    expect("cat | wc -c", "0\n");               /* the shell's empty input reaches cat */
    expect("seq 5 | tee /tmp/sh_t | wc -l; cat /tmp/sh_t", "5\n1\n2\n3\n4\n5\n");
    expect("seq 2 | tee -a /tmp/sh_t > /tmp/sh_t2; cat /tmp/sh_t2 /tmp/sh_t | wc -l", "9\n");
    unlink("/tmp/sh_t");
    unlink("/tmp/sh_t2");
}

static void mkdir_and_rm(void)
{
    static struct result r;
    expect("mkdir -p /tmp/sh_d/x/y; echo f > /tmp/sh_d/x/file; ls /tmp/sh_d/x", "file\ny\n");
    expect("mkdir /tmp/sh_d/z; ls /tmp/sh_d", "x\nz\n");
    sh_c("rm /tmp/sh_d; echo $?", &r);
    CHECK(strcmp(r.out, "1\n") == 0 && strstr(r.err, "Is a directory"), "rm of a directory: \"%s\" \"%s\"",
          r.out, r.err);
    expect("rm -r /tmp/sh_d", "");
    struct stat st;
    CHECK(stat("/tmp/sh_d", &st) < 0 && errno == ENOENT, "rm -r left /tmp/sh_d");
    expect("rm -f /tmp/sh_nosuch; echo $?", "0\n");
}

/*
 * "ps | grep sh | wc -l" counts the lines of ps that contain "sh", as
 * counted here from ps alone: the shell and the test processes.  Up to two
 * more are right: grep and wc are children of the shell, named "sh" until
 * they have called execv, which they may not have done when ps looks.
 */
static void ps_into_grep_into_wc(void)
{
    static struct result r;
    sh_c("ps", &r);
    int lines = 0;
    for (char *line = r.out; *line; ) {
        char *end = strchr(line, '\n');
        CHECK(end, "ps output does not end in a newline");
        *end = '\0';
        lines += strstr(line, "sh") != NULL;
        line = end + 1;
    }
    CHECK(lines >= 2, "ps shows %d processes with \"sh\" in their names (sh and test_shell at least): \"%s\"",
          lines, r.out);
    sh_c("ps | grep sh | wc -l", &r);
    int counted = atoi(r.out);
    CHECK(counted >= lines && counted <= lines + 2, "ps | grep sh | wc -l said \"%s\", expected %d",
          r.out, lines);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 && r.err[0] == '\0', "status %#x, stderr \"%s\"",
          r.status, r.err);
}

static void writing_into_bin_refused(void)
{
    static struct result r;
    struct stat before, after;
    CHECK(stat("/bin/sh", &before) == 0, "stat");
    sh_c("echo x > /bin/sh; echo $?", &r);
    CHECK(strcmp(r.out, "1\n") == 0, "status of a redirection into /bin: \"%s\"", r.out);
    CHECK(strstr(r.err, "/bin/sh") != NULL, "no message: \"%s\"", r.err);
    sh_c("echo x >> /bin/echo; mkdir /bin/sh_dir; rm /bin/cat; echo done", &r);
    CHECK(strcmp(r.out, "done\n") == 0, "\"%s\"", r.out);
    CHECK(stat("/bin/sh", &after) == 0 && after.st_size == before.st_size, "/bin/sh changed");
    CHECK(stat("/bin/cat", &after) == 0 && stat("/bin/sh_dir", &after) < 0, "/bin changed");
}

/* Many pipelines and redirections give back every page and kernel heap byte. */
static void shell_leaks_nothing(void)
{
    expect("seq 1 1000 | grep 7 | wc -l > /tmp/sh_leak; cat /tmp/sh_leak; rm /tmp/sh_leak", "271\n");
    struct os_stats before = utest_settled();
    for (int i = 0; i < LEAK_ROUNDS; i++)
        expect("seq 1 1000 | grep 7 | wc -l > /tmp/sh_leak; cat /tmp/sh_leak; rm /tmp/sh_leak", "271\n");
    utest_expect_back(before);
}

/* libc's popen runs /bin/sh -c: our shell, both directions, and pclose's status. */
static void popen_runs_the_shell(void)
{
    FILE *in = popen("seq 1 3 | wc -l; exit 4", "r");
    CHECK(in, "popen r: %s", strerror(errno));
    char line[32] = "";
    CHECK(fgets(line, sizeof line, in) && strcmp(line, "3\n") == 0, "read \"%s\"", line);
    int status = pclose(in);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4, "pclose status %#x", status);
    FILE *out = popen("wc -c > /tmp/sh_popen", "w");
    CHECK(out && fputs("12345\n", out) >= 0, "popen w");
    CHECK(pclose(out) == 0, "pclose of the writer");
    FILE *f = fopen("/tmp/sh_popen", "r");
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "6\n") == 0, "wc counted \"%s\"", line);
    fclose(f);
    unlink("/tmp/sh_popen");
}

/* The small programs through the shell: sleep, kill, stat, crash and the report of a crash. */
static void small_programs(void)
{
    expect("sleep 0.05; echo slept", "slept\n");
    static struct result r;
    sh_c("stat", &r);
    CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 && strstr(r.out, "switches"),
          "stat: status %#x, printed \"%s\"", r.status, r.out);
    expect("stat -r > /tmp/sh_stat; echo $?; rm /tmp/sh_stat", "0\n");
    sh_c("crash; echo status $?", &r);
    CHECK(strcmp(r.out, "status 139\n") == 0, "crash then $?: \"%s\"", r.out);
    CHECK(strstr(r.err, "killed by SIGSEGV") != NULL, "the shell did not report the crash: \"%s\"", r.err);
    sh_c("kill -TERM 99999; echo $?", &r);
    CHECK(strcmp(r.out, "1\n") == 0, "kill of a missing pid: \"%s\" (stderr \"%s\")", r.out, r.err);
}

int main(void)
{
    RUN(warm_up);
    struct os_stats start = utest_settled();
    RUN(seq_into_wc);
    RUN(ls_bin_into_wc);
    RUN(echo_into_file_then_cat);
    RUN(yes_into_head_ends);
    RUN(yes_dies_of_sigpipe);
    RUN(append_redirection);
    RUN(input_redirection);
    RUN(exit_status_variable);
    RUN(script_file);
    RUN(long_pipelines);
    RUN(mkdir_and_rm);
    RUN(ps_into_grep_into_wc);
    RUN(writing_into_bin_refused);
    RUN(popen_runs_the_shell);
    RUN(small_programs);
    RUN(shell_leaks_nothing);
    utest_pages_back("pages_back_after_all_tests", start);
    return utest_finish();
}

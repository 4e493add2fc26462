/*
 * sh: the shell.
 *
 *   sh                 read commands from standard input ("$ " prompt on a terminal)
 *   sh -c LINE [ARG0 ARG...]   run one command line
 *   sh FILE [ARG...]   run a script
 *
 * A line is split into words at blanks; '...' quotes literally, "..."
 * quotes but expands $, and \ takes the next character literally.  $? is
 * the last status, $$ the shell's pid, $0..$9 and $# the arguments, $NAME
 * and ${NAME} the environment.  # starts a comment.  Commands are joined by
 * | (pipelines) and separated by ; or newlines; < FILE, > FILE, >> FILE,
 * 2> FILE (any digit) and 2>&1 redirect, left to right; a trailing & runs a
 * pipeline in the background.  Builtins:
 * exit [N], cd [DIR].  A command killed by a signal is reported ("killed by
 * SIGSEGV") and its status is 128 + the signal.  As process 1 the shell
 * also inherits orphans: every finished child is reaped after each line.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROMPT           "$ "
#define MAX_TOKENS       256
#define MAX_ARGS         128
#define MAX_PIPELINE     16
#define MAX_BACKGROUND   64
#define MAX_REDIRECTIONS 8
#define WORD_STORE_SIZE  16384      /* bytes for all the words of one line */
#define STATUS_SYNTAX    2
#define STATUS_CANNOT_RUN 126
#define STATUS_NOT_FOUND 127
#define STATUS_SIGNAL_BASE 128      /* $? of a command killed by signal n: 128 + n */
#define EXIT_STATUS_MASK 0xff
#define NEW_FILE_MODE    0666
#define BACKSPACE        '\b'
#define INT_TEXT_SIZE    16         /* "-2147483648" and a NUL */
#define VAR_NAME_MAX     256
#define DELETE           0x7f

enum token_type { T_WORD, T_PIPE, T_REDIRECT, T_BACKGROUND, T_SEPARATOR, T_END };

/* [N]< FILE, [N]> FILE, [N]>> FILE, [N]>&M: applied in order in the child. */
struct redirection {
    int fd;                         /* the descriptor redirected */
    int flags;                      /* open() flags for file */
    const char *file;               /* NULL for a copy of another descriptor ... */
    int dup_from;                   /* ... this one (>&M), else -1 */
};

struct token {
    enum token_type type;
    char *word;                     /* T_WORD: its text, after quotes and expansion */
    struct redirection redirection; /* T_REDIRECT; the file is the next word */
};

struct command {
    char *argv[MAX_ARGS + 1];
    int argc;
    struct redirection redirections[MAX_REDIRECTIONS];
    int redirection_count;
};

struct pipeline {
    struct command commands[MAX_PIPELINE];
    int count;
    bool background;
};

static int last_status;             /* $? */
static int script_argc;             /* $# + 1 */
static char **script_argv;          /* $0 $1 ... */
static pid_t background[MAX_BACKGROUND];    /* pids to report when they end */

/* The line as a lexer reads it, and where its words are written. */
struct lexer {
    const char *p;
    char store[WORD_STORE_SIZE];
    size_t used;
    bool overflow;
};

static char lex_error_marker;
#define LEX_ERROR (&lex_error_marker)

static void put_char(struct lexer *lx, char c)
{
    if (lx->used < sizeof lx->store)
        lx->store[lx->used++] = c;
    else
        lx->overflow = true;
}

static void put_text(struct lexer *lx, const char *s)
{
    while (s && *s)
        put_char(lx, *s++);
}

static bool is_name_char(char c)
{
    return c == '_' || isalnum((unsigned char)c);
}

/* The value of a one-character parameter ($? $$ $# $0..$9), or NULL if c is none. */
static const char *special_parameter(char c, char *number, size_t size)
{
    if (c >= '0' && c <= '9')
        return c - '0' < script_argc ? script_argv[c - '0'] : "";
    if (c != '?' && c != '$' && c != '#')
        return NULL;
    int value = c == '?' ? last_status : c == '$' ? (int)getpid() : script_argc - 1;
    snprintf(number, size, "%d", value);
    return number;
}

/* Expand the $ form at lx->p (just past the '$'); a '$' that starts none stays literal. */
static void expand(struct lexer *lx)
{
    char number[INT_TEXT_SIZE], name[VAR_NAME_MAX];
    const char *value = special_parameter(*lx->p, number, sizeof number);
    if (value) {
        lx->p++;
        put_text(lx, value);
        return;
    }
    bool braced = *lx->p == '{';
    const char *start = lx->p + braced, *end = start;
    while (is_name_char(*end))
        end++;
    if (end == start || (braced && *end != '}') || end - start >= VAR_NAME_MAX) {
        put_char(lx, '$');
        return;
    }
    snprintf(name, sizeof name, "%.*s", (int)(end - start), start);
    put_text(lx, getenv(name));
    lx->p = end + braced;
}

/*
 * The word at lx->p, NUL-terminated in lx->store; NULL if it came to
 * nothing (an unquoted empty expansion is no word), LEX_ERROR (after a
 * message) on an unterminated quote.
 */
static char *lex_word(struct lexer *lx)
{
    char quote = 0;
    bool quoted = false;
    size_t start = lx->used;
    for (char c; (c = *lx->p) != '\0'; ) {
        if (!quote && strchr(" \t\r\n|<>&;", c))
            break;
        lx->p++;
        if (c == quote) {
            quote = 0;
        } else if (!quote && (c == '\'' || c == '"')) {
            quote = c;
            quoted = true;
        } else if (c == '\\' && quote != '\'' && *lx->p &&
                   (!quote || strchr("$\"\\", *lx->p))) {
            put_char(lx, *lx->p++);
        } else if (c == '$' && quote != '\'') {
            expand(lx);
        } else {
            put_char(lx, c);
        }
    }
    if (quote) {
        fprintf(stderr, "sh: unterminated %c quote\n", quote);
        return LEX_ERROR;
    }
    put_char(lx, '\0');
    if (lx->used - start == 1 && !quoted) {
        lx->used = start;
        return NULL;
    }
    return lx->store + start;
}

/* A redirection operator at lx->p ([N]<, [N]>, [N]>>, [N]>&M), consumed into *t; false if none. */
static bool lex_redirection(struct lexer *lx, struct token *t)
{
    const char *p = lx->p;
    int fd = -1;
    if (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>'))
        fd = *p++ - '0';
    if (*p != '<' && *p != '>')
        return false;
    bool input = *p++ == '<';
    struct redirection r = { .fd = fd >= 0 ? fd : input ? STDIN_FILENO : STDOUT_FILENO,
                             .flags = input ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC,
                             .file = NULL, .dup_from = -1 };
    if (!input && *p == '>') {
        r.flags = O_WRONLY | O_CREAT | O_APPEND;
        p++;
    } else if (*p == '&' && isdigit((unsigned char)p[1])) {
        r.dup_from = p[1] - '0';
        p += 2;
    }
    *t = (struct token){ .type = T_REDIRECT, .word = NULL, .redirection = r };
    lx->p = p;
    return true;
}

/* The operator at lx->p, consumed into *t; false if there is none. */
static bool lex_operator(struct lexer *lx, struct token *t)
{
    enum token_type type;
    switch (*lx->p) {
    case '|': type = T_PIPE; break;
    case '&': type = T_BACKGROUND; break;
    case ';': case '\n': type = T_SEPARATOR; break;
    default: return lex_redirection(lx, t);
    }
    lx->p++;
    *t = (struct token){ .type = type, .word = NULL };
    return true;
}

/*
 * Tokens of the next pipeline: from lx->p through its ';', '&' or newline,
 * then T_END.  Expanding one pipeline at a time lets "false; echo $?" see
 * false's status.  Returns the count, or -1 (after a message) on error.
 */
static int tokenize(struct lexer *lx, struct token *tokens)
{
    int n = 0;
    lx->used = 0;
    lx->overflow = false;
    for (;;) {
        lx->p += strspn(lx->p, " \t\r");
        if (*lx->p == '#')
            lx->p += strcspn(lx->p, "\n");
        if (*lx->p == '\0' || n == MAX_TOKENS - 1)
            break;
        if (lex_operator(lx, &tokens[n])) {
            enum token_type type = tokens[n++].type;
            if (type == T_SEPARATOR || type == T_BACKGROUND)
                break;
            continue;
        }
        char *word = lex_word(lx);
        if (word == LEX_ERROR)
            return -1;
        if (word)
            tokens[n++] = (struct token){ .type = T_WORD, .word = word };
    }
    if (lx->overflow || n == MAX_TOKENS - 1) {
        fprintf(stderr, "sh: line too long\n");
        return -1;
    }
    tokens[n] = (struct token){ .type = T_END, .word = NULL };
    return n;
}

static int syntax_error(const char *what)
{
    fprintf(stderr, "sh: syntax error: %s\n", what);
    return -1;
}

/* One command's words and redirections, from tokens[*pos]. */
static int parse_command(const struct token *tokens, int *pos, struct command *cmd)
{
    *cmd = (struct command){ .argc = 0 };
    for (;; (*pos)++) {
        const struct token *t = &tokens[*pos];
        if (t->type == T_WORD) {
            if (cmd->argc == MAX_ARGS)
                return syntax_error("too many arguments");
            cmd->argv[cmd->argc++] = t->word;
        } else if (t->type == T_REDIRECT) {
            if (cmd->redirection_count == MAX_REDIRECTIONS)
                return syntax_error("too many redirections");
            struct redirection *r = &cmd->redirections[cmd->redirection_count++];
            *r = t->redirection;
            if (r->dup_from >= 0)
                continue;
            if (t[1].type != T_WORD)
                return syntax_error("a redirection without a file");
            r->file = t[1].word;
            (*pos)++;
        } else {
            break;
        }
    }
    cmd->argv[cmd->argc] = NULL;
    if (cmd->argc == 0)
        return syntax_error(tokens[*pos].type == T_END ? "a command expected" : "unexpected operator");
    return 0;
}

/* A pipeline from tokens[*pos], through its ';' or '&' (consumed). */
static int parse_pipeline(const struct token *tokens, int *pos, struct pipeline *pl)
{
    pl->count = 0;
    pl->background = false;
    for (;;) {
        if (pl->count == MAX_PIPELINE)
            return syntax_error("pipeline too long");
        if (parse_command(tokens, pos, &pl->commands[pl->count++]) < 0)
            return -1;
        if (tokens[*pos].type != T_PIPE)
            break;
        (*pos)++;
    }
    enum token_type end = tokens[*pos].type;
    if (end == T_BACKGROUND || end == T_SEPARATOR)
        (*pos)++;
    pl->background = end == T_BACKGROUND;
    return 0;
}

/* $? for a wait status; says so when a signal ended the command. */
static int status_of(int status, pid_t background_pid)
{
    if (!WIFSIGNALED(status))
        return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    if (sig != SIGPIPE) {           /* a pipeline's reader left: nothing to report */
        if (background_pid)
            fprintf(stderr, "[%d] ", (int)background_pid);
        if (sigabbrev_np(sig))
            fprintf(stderr, "killed by SIG%s\n", sigabbrev_np(sig));
        else
            fprintf(stderr, "killed by signal %d\n", sig);
    }
    return STATUS_SIGNAL_BASE + sig;
}

/* Make r->fd the file (or copy of descriptor) r names; false after a message. */
static bool redirect(const struct redirection *r)
{
    if (r->dup_from >= 0) {
        if (dup2(r->dup_from, r->fd) >= 0)
            return true;
        fprintf(stderr, "sh: %d: %s\n", r->dup_from, strerror(errno));
        return false;
    }
    int opened = open(r->file, r->flags, NEW_FILE_MODE);
    if (opened < 0) {
        fprintf(stderr, "sh: %s: %s\n", r->file, strerror(errno));
        return false;
    }
    if (opened != r->fd) {
        dup2(opened, r->fd);
        close(opened);
    }
    return true;
}

/* In the child: set up fds, then exec; never returns. */
static _Noreturn void run_child(const struct command *cmd, int in_fd, int out_fd)
{
    if (in_fd != STDIN_FILENO) {
        dup2(in_fd, STDIN_FILENO);
        close(in_fd);
    }
    if (out_fd != STDOUT_FILENO) {
        dup2(out_fd, STDOUT_FILENO);
        close(out_fd);
    }
    for (int i = 0; i < cmd->redirection_count; i++)
        if (!redirect(&cmd->redirections[i]))
            _exit(1);
    execvp(cmd->argv[0], cmd->argv);
    if (errno == ENOENT) {
        fprintf(stderr, "sh: %s: not found\n", cmd->argv[0]);
        _exit(STATUS_NOT_FOUND);
    }
    fprintf(stderr, "sh: %s: %s\n", cmd->argv[0], strerror(errno));
    _exit(STATUS_CANNOT_RUN);
}

static void remember_background(pid_t pid)
{
    for (int i = 0; i < MAX_BACKGROUND; i++) {
        if (!background[i]) {
            background[i] = pid;
            break;
        }
    }
    printf("[%d]\n", (int)pid);
}

/* Wait for the pipeline's processes; $? is the last one's status. */
static int wait_for(const pid_t *pids, int count)
{
    int result = 0;
    for (int i = 0; i < count; i++) {
        int status;
        if (pids[i] <= 0)
            continue;
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (i == count - 1)
            result = status_of(status, 0);
    }
    return result;
}

/*
 * Fork the process of one command of a pipeline.  It reads *in_fd and,
 * unless it is the last, writes a new pipe whose read end becomes the next
 * *in_fd.  The shell closes each end as soon as the child that needs it is
 * forked, so every process holds only its own ends (and a reader sees EOF
 * when its writer ends).  A background pipeline gets a process group of
 * its own (*group, the first process's pid), so the terminal's ^C, meant
 * for the foreground, leaves it alone.  Returns the pid, or -1 after a
 * message.
 */
static pid_t start_command(const struct command *cmd, int *in_fd, bool last, bool background,
                           pid_t *group)
{
    int fds[2] = { -1, STDOUT_FILENO };
    if (!last && pipe(fds) < 0) {
        fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (background)
            setpgid(0, *group);
        if (fds[0] >= 0)
            close(fds[0]);
        run_child(cmd, *in_fd, fds[1]);
    }
    if (pid < 0)
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
    if (pid > 0 && background) {
        setpgid(pid, *group);       /* in both: whichever runs first, the group is set */
        if (!*group)
            *group = pid;
    }
    if (*in_fd != STDIN_FILENO)
        close(*in_fd);
    if (fds[1] != STDOUT_FILENO)
        close(fds[1]);
    *in_fd = fds[0] >= 0 ? fds[0] : STDIN_FILENO;
    return pid;
}

/* Start every command of the pipeline; wait for them unless it runs in the background. */
static int run_pipeline(const struct pipeline *pl)
{
    pid_t pids[MAX_PIPELINE], group = 0;
    int in_fd = STDIN_FILENO;
    for (int i = 0; i < pl->count; i++)
        pids[i] = -1;
    fflush(stdout);                 /* or the children would print our buffer again */
    for (int i = 0; i < pl->count; i++)
        if ((pids[i] = start_command(&pl->commands[i], &in_fd, i == pl->count - 1,
                                     pl->background, &group)) < 0)
            break;
    if (in_fd != STDIN_FILENO)
        close(in_fd);
    if (pl->background) {
        if (pids[pl->count - 1] > 0)
            remember_background(pids[pl->count - 1]);
        return 0;
    }
    return wait_for(pids, pl->count);
}

/* exit and cd, run by the shell itself; false if cmd is not a builtin. */
static bool run_builtin(const struct command *cmd, int *status)
{
    const char *name = cmd->argv[0];
    if (strcmp(name, "exit") == 0) {
        fflush(stdout);
        exit(cmd->argc > 1 ? atoi(cmd->argv[1]) & EXIT_STATUS_MASK : last_status);
    }
    if (strcmp(name, "cd") != 0)
        return false;
    const char *dir = cmd->argc > 1 ? cmd->argv[1] : getenv("HOME");
    if (!dir)
        dir = "/";
    *status = 0;
    if (chdir(dir) < 0) {
        fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
        *status = 1;
    }
    return true;
}

/* Collect every finished child: background jobs (reported) and orphans (silently). */
static void reap(void)
{
    pid_t pid;
    int status;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < MAX_BACKGROUND; i++) {
            if (background[i] == pid) {
                background[i] = 0;
                if (!WIFSIGNALED(status))
                    fprintf(stderr, "[%d] done, status %d\n", (int)pid, WEXITSTATUS(status));
                else
                    status_of(status, pid);
            }
        }
    }
}

/* Run every pipeline of a line in turn; sets $?.  An empty pipeline (";;") is skipped. */
static void run_line(const char *line)
{
    static struct lexer lx;
    static struct token tokens[MAX_TOKENS];
    static struct pipeline pl;
    for (lx.p = line; *lx.p; ) {
        int n = tokenize(&lx, tokens);
        if (n < 0) {
            last_status = STATUS_SYNTAX;
            break;
        }
        if (n == 0 || (n == 1 && tokens[0].type == T_SEPARATOR))
            continue;
        int pos = 0;
        if (parse_pipeline(tokens, &pos, &pl) < 0 || tokens[pos].type != T_END) {
            last_status = STATUS_SYNTAX;
            break;
        }
        int status;
        if (pl.count == 1 && !pl.background && run_builtin(&pl.commands[0], &status))
            last_status = status;
        else
            last_status = run_pipeline(&pl);
    }
    reap();
}

/* Apply the erasing characters a terminal did not handle: each removes the byte before it. */
static void apply_backspaces(char *line)
{
    char *out = line;
    for (char *in = line; *in; in++) {
        if (*in == BACKSPACE || *in == DELETE) {
            if (out > line)
                out--;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

/* Run each line of input; returns the last status at end of file. */
static int run_input(FILE *input, bool interactive)
{
    char *line = NULL;
    size_t capacity = 0;
    for (;;) {
        if (interactive) {
            fputs(PROMPT, stdout);
            fflush(stdout);
        }
        if (getline(&line, &capacity, input) < 0)
            break;
        apply_backspaces(line);
        run_line(line);
    }
    if (interactive)
        putchar('\n');
    free(line);
    return last_status;
}

int main(int argc, char **argv)
{
    script_argc = argc;
    script_argv = argv;
    if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) {
            fprintf(stderr, "sh: -c: option requires an argument\n");
            return STATUS_SYNTAX;
        }
        if (argc > 3) {             /* sh -c LINE NAME ARG...: NAME is $0 */
            script_argc = argc - 3;
            script_argv = argv + 3;
        }
        run_line(argv[2]);
        return last_status;
    }
    if (argc > 1) {
        FILE *script = fopen(argv[1], "r");
        if (!script) {
            fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
            return STATUS_NOT_FOUND;
        }
        script_argc = argc - 1;
        script_argv = argv + 1;
        return run_input(script, false);
    }
    return run_input(stdin, isatty(STDIN_FILENO));
}

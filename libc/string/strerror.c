/* Names for error and signal numbers; the texts are glibc's, which users know. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* Each error with its name ("EPERM") and its text. */
struct error_name {
    const char *name;
    const char *text;
};
#define ERROR(e, text) [e] = { #e, text }

static const struct error_name errors[] = {
    [0] = { NULL, "Success" },
    ERROR(EPERM, "Operation not permitted"),
    ERROR(ENOENT, "No such file or directory"),
    ERROR(ESRCH, "No such process"),
    ERROR(EINTR, "Interrupted system call"),
    ERROR(EIO, "Input/output error"),
    ERROR(ENXIO, "No such device or address"),
    ERROR(E2BIG, "Argument list too long"),
    ERROR(ENOEXEC, "Exec format error"),
    ERROR(EBADF, "Bad file descriptor"),
    ERROR(ECHILD, "No child processes"),
    ERROR(EAGAIN, "Resource temporarily unavailable"),
    ERROR(ENOMEM, "Cannot allocate memory"),
    ERROR(EACCES, "Permission denied"),
    ERROR(EFAULT, "Bad address"),
    ERROR(ENOTBLK, "Block device required"),
    ERROR(EBUSY, "Device or resource busy"),
    ERROR(EEXIST, "File exists"),
    ERROR(EXDEV, "Invalid cross-device link"),
    ERROR(ENODEV, "No such device"),
    ERROR(ENOTDIR, "Not a directory"),
    ERROR(EISDIR, "Is a directory"),
    ERROR(EINVAL, "Invalid argument"),
    ERROR(ENFILE, "Too many open files in system"),
    ERROR(EMFILE, "Too many open files"),
    ERROR(ENOTTY, "Inappropriate ioctl for device"),
    ERROR(ETXTBSY, "Text file busy"),
    ERROR(EFBIG, "File too large"),
    ERROR(ENOSPC, "No space left on device"),
    ERROR(ESPIPE, "Illegal seek"),
    ERROR(EROFS, "Read-only file system"),
    ERROR(EMLINK, "Too many links"),
    ERROR(EPIPE, "Broken pipe"),
    ERROR(EDOM, "Numerical argument out of domain"),
    ERROR(ERANGE, "Numerical result out of range"),
    ERROR(EDEADLK, "Resource deadlock avoided"),
    ERROR(ENAMETOOLONG, "File name too long"),
    ERROR(ENOLCK, "No locks available"),
    ERROR(ENOSYS, "Function not implemented"),
    ERROR(ENOTEMPTY, "Directory not empty"),
    ERROR(ELOOP, "Too many levels of symbolic links"),
    ERROR(ENOMSG, "No message of desired type"),
    ERROR(EIDRM, "Identifier removed"),
    ERROR(ENOSTR, "Device not a stream"),
    ERROR(ENODATA, "No data available"),
    ERROR(ETIME, "Timer expired"),
    ERROR(ENOSR, "Out of streams resources"),
    ERROR(ENOLINK, "Link has been severed"),
    ERROR(EPROTO, "Protocol error"),
    ERROR(EMULTIHOP, "Multihop attempted"),
    ERROR(EBADMSG, "Bad message"),
    ERROR(EOVERFLOW, "Value too large for defined data type"),
    ERROR(EILSEQ, "Invalid or incomplete multibyte or wide character"),
    ERROR(ENOTSOCK, "Socket operation on non-socket"),
    ERROR(EDESTADDRREQ, "Destination address required"),
    ERROR(EMSGSIZE, "Message too long"),
    ERROR(EPROTOTYPE, "Protocol wrong type for socket"),
    ERROR(ENOPROTOOPT, "Protocol not available"),
    ERROR(EPROTONOSUPPORT, "Protocol not supported"),
    ERROR(ENOTSUP, "Operation not supported"),
    ERROR(EAFNOSUPPORT, "Address family not supported by protocol"),
    ERROR(EADDRINUSE, "Address already in use"),
    ERROR(EADDRNOTAVAIL, "Cannot assign requested address"),
    ERROR(ENETDOWN, "Network is down"),
    ERROR(ENETUNREACH, "Network is unreachable"),
    ERROR(ENETRESET, "Network dropped connection on reset"),
    ERROR(ECONNABORTED, "Software caused connection abort"),
    ERROR(ECONNRESET, "Connection reset by peer"),
    ERROR(ENOBUFS, "No buffer space available"),
    ERROR(EISCONN, "Transport endpoint is already connected"),
    ERROR(ENOTCONN, "Transport endpoint is not connected"),
    ERROR(ETIMEDOUT, "Connection timed out"),
    ERROR(ECONNREFUSED, "Connection refused"),
    ERROR(EHOSTUNREACH, "No route to host"),
    ERROR(EALREADY, "Operation already in progress"),
    ERROR(EINPROGRESS, "Operation now in progress"),
    ERROR(ESTALE, "Stale file handle"),
    ERROR(EDQUOT, "Disk quota exceeded"),
    ERROR(ECANCELED, "Operation canceled"),
    ERROR(EOWNERDEAD, "Owner died"),
    ERROR(ENOTRECOVERABLE, "State not recoverable"),
};
#define ERROR_COUNT (int)(sizeof errors / sizeof errors[0])

/* Big enough for "Unknown error -2147483648" and "Real-time signal 32". */
#define UNKNOWN_TEXT_SIZE 32

struct signal_name {
    const char *abbrev;     /* without "SIG" */
    const char *text;
};

static const struct signal_name signal_names[] = {
    [SIGHUP] = { "HUP", "Hangup" },
    [SIGINT] = { "INT", "Interrupt" },
    [SIGQUIT] = { "QUIT", "Quit" },
    [SIGILL] = { "ILL", "Illegal instruction" },
    [SIGTRAP] = { "TRAP", "Trace/breakpoint trap" },
    [SIGABRT] = { "ABRT", "Aborted" },
    [SIGBUS] = { "BUS", "Bus error" },
    [SIGFPE] = { "FPE", "Floating point exception" },
    [SIGKILL] = { "KILL", "Killed" },
    [SIGUSR1] = { "USR1", "User defined signal 1" },
    [SIGSEGV] = { "SEGV", "Segmentation fault" },
    [SIGUSR2] = { "USR2", "User defined signal 2" },
    [SIGPIPE] = { "PIPE", "Broken pipe" },
    [SIGALRM] = { "ALRM", "Alarm clock" },
    [SIGTERM] = { "TERM", "Terminated" },
    [SIGSTKFLT] = { "STKFLT", "Stack fault" },
    [SIGCHLD] = { "CHLD", "Child exited" },
    [SIGCONT] = { "CONT", "Continued" },
    [SIGSTOP] = { "STOP", "Stopped (signal)" },
    [SIGTSTP] = { "TSTP", "Stopped" },
    [SIGTTIN] = { "TTIN", "Stopped (tty input)" },
    [SIGTTOU] = { "TTOU", "Stopped (tty output)" },
    [SIGURG] = { "URG", "Urgent I/O condition" },
    [SIGXCPU] = { "XCPU", "CPU time limit exceeded" },
    [SIGXFSZ] = { "XFSZ", "File size limit exceeded" },
    [SIGVTALRM] = { "VTALRM", "Virtual timer expired" },
    [SIGPROF] = { "PROF", "Profiling timer expired" },
    [SIGWINCH] = { "WINCH", "Window changed" },
    [SIGIO] = { "IO", "I/O possible" },
    [SIGPWR] = { "PWR", "Power failure" },
    [SIGSYS] = { "SYS", "Bad system call" },
};
#define SIGNAL_NAME_COUNT (int)(sizeof signal_names / sizeof signal_names[0])

/* The text for error, or NULL if we have none. */
static const char *error_text(int error)
{
    if (error >= 0 && error < ERROR_COUNT)
        return errors[error].text;
    return NULL;
}

/* GNU: the name of error ("EPERM"), NULL if unknown. */
const char *strerrorname_np(int error)
{
    if (error > 0 && error < ERROR_COUNT)
        return errors[error].name;
    return NULL;
}

char *strerror(int error)
{
    static char unknown[UNKNOWN_TEXT_SIZE];
    const char *text = error_text(error);
    if (text)
        return (char *)text;
    snprintf(unknown, sizeof unknown, "Unknown error %d", error);
    return unknown;
}

/* POSIX strerror_r: 0, or ERANGE when buf is too small (it then holds a truncated text). */
int strerror_r(int error, char *buf, size_t size)
{
    const char *text = error_text(error);
    int n = text ? snprintf(buf, size, "%s", text)
                 : snprintf(buf, size, "Unknown error %d", error);
    return (size_t)n < size ? 0 : ERANGE;
}

const char *sigabbrev_np(int signal)
{
    if (signal > 0 && signal < SIGNAL_NAME_COUNT)
        return signal_names[signal].abbrev;
    return NULL;
}

const char *sigdescr_np(int signal)
{
    if (signal > 0 && signal < SIGNAL_NAME_COUNT)
        return signal_names[signal].text;
    return NULL;
}

char *strsignal(int signal)
{
    static char unknown[UNKNOWN_TEXT_SIZE];
    const char *text = sigdescr_np(signal);
    if (text)
        return (char *)text;
    if (signal >= SIGRTMIN && signal <= SIGRTMAX)
        snprintf(unknown, sizeof unknown, "Real-time signal %d", signal - SIGRTMIN);
    else
        snprintf(unknown, sizeof unknown, "Unknown signal %d", signal);
    return unknown;
}

/* "message: text" on stderr, or only the text if message is NULL or empty. */
static void report(const char *message, const char *text)
{
    if (message && *message)
        fprintf(stderr, "%s: %s\n", message, text);
    else
        fprintf(stderr, "%s\n", text);
}

void perror(const char *message)
{
    report(message, strerror(errno));
}

void psignal(int signal, const char *message)
{
    report(message, strsignal(signal));
}

/* Names for error and signal numbers; the texts are glibc's, which users know. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *const error_texts[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [ENOTBLK] = "Block device required",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Invalid cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [ETXTBSY] = "Text file busy",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [EDEADLK] = "Resource deadlock avoided",
    [ENAMETOOLONG] = "File name too long",
    [ENOLCK] = "No locks available",
    [ENOSYS] = "Function not implemented",
    [ENOTEMPTY] = "Directory not empty",
    [ELOOP] = "Too many levels of symbolic links",
    [ENOMSG] = "No message of desired type",
    [EIDRM] = "Identifier removed",
    [ENOSTR] = "Device not a stream",
    [ENODATA] = "No data available",
    [ETIME] = "Timer expired",
    [ENOSR] = "Out of streams resources",
    [ENOLINK] = "Link has been severed",
    [EPROTO] = "Protocol error",
    [EMULTIHOP] = "Multihop attempted",
    [EBADMSG] = "Bad message",
    [EOVERFLOW] = "Value too large for defined data type",
    [EILSEQ] = "Invalid or incomplete multibyte or wide character",
    [ENOTSOCK] = "Socket operation on non-socket",
    [EDESTADDRREQ] = "Destination address required",
    [EMSGSIZE] = "Message too long",
    [EPROTOTYPE] = "Protocol wrong type for socket",
    [ENOPROTOOPT] = "Protocol not available",
    [EPROTONOSUPPORT] = "Protocol not supported",
    [ENOTSUP] = "Operation not supported",
    [EAFNOSUPPORT] = "Address family not supported by protocol",
    [EADDRINUSE] = "Address already in use",
    [EADDRNOTAVAIL] = "Cannot assign requested address",
    [ENETDOWN] = "Network is down",
    [ENETUNREACH] = "Network is unreachable",
    [ENETRESET] = "Network dropped connection on reset",
    [ECONNABORTED] = "Software caused connection abort",
    [ECONNRESET] = "Connection reset by peer",
    [ENOBUFS] = "No buffer space available",
    [EISCONN] = "Transport endpoint is already connected",
    [ENOTCONN] = "Transport endpoint is not connected",
    [ETIMEDOUT] = "Connection timed out",
    [ECONNREFUSED] = "Connection refused",
    [EHOSTUNREACH] = "No route to host",
    [EALREADY] = "Operation already in progress",
    [EINPROGRESS] = "Operation now in progress",
    [ESTALE] = "Stale file handle",
    [EDQUOT] = "Disk quota exceeded",
    [ECANCELED] = "Operation canceled",
    [EOWNERDEAD] = "Owner died",
    [ENOTRECOVERABLE] = "State not recoverable",
};
#define ERROR_COUNT (int)(sizeof error_texts / sizeof error_texts[0])

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
        return error_texts[error];
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

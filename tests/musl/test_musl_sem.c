/*
 * An unchanged Linux program: built with Debian's musl-gcc -static, not
 * with our libc, and run as process 1 like the tests of tests/user (the
 * same result lines, its failure count as its exit status).  What it
 * uses is musl's own code: sem_open (a file in /dev/shm made with open
 * O_EXCL, write, mmap MAP_SHARED and link), shm_open, ftruncate, and
 * pthreads, between two processes and two threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define OS_STATS_SYSCALL 1000           /* our kernel's own call (lib/include/abi/syscall.h) */
#define OS_STATS_BYTES   128            /* struct os_stats */
#define SEM_NAME         "/musl_sem"
#define SHM_NAME         "/musl_shm"
#define ROUNDS           200
#define PAGE             4096

static int passed, failed;

#define CHECK(cond, what)                                                       \
    do {                                                                        \
        if (!(cond)) {                                                          \
            printf("utest %s: FAILED (%s: %s)\n", __func__, what, strerror(errno)); \
            failed++;                                                           \
            return;                                                             \
        }                                                                       \
    } while (0)

#define PASS() do { printf("utest %s: OK\n", __func__); passed++; } while (0)

static int child_status(pid_t pid)
{
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A named semaphore: made by one process, opened by name in another, posted there and taken here. */
static void named_semaphore_between_processes(void)
{
    sem_unlink(SEM_NAME);
    sem_t *s = sem_open(SEM_NAME, O_CREAT | O_EXCL, 0600, 0);
    CHECK(s != SEM_FAILED, "sem_open");
    CHECK(sem_open(SEM_NAME, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST, "O_EXCL");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        sem_t *c = sem_open(SEM_NAME, 0);
        for (int i = 0; c != SEM_FAILED && i < ROUNDS; i++)
            sem_post(c);
        _exit(c == SEM_FAILED);
    }
    for (int i = 0; i < ROUNDS; i++)
        CHECK(sem_wait(s) == 0, "sem_wait");
    CHECK(child_status(pid) == 0, "the child");
    int value = -1;
    CHECK(sem_getvalue(s, &value) == 0 && value == 0, "every post taken once");
    CHECK(sem_close(s) == 0 && sem_unlink(SEM_NAME) == 0, "close and unlink");
    CHECK(sem_open(SEM_NAME, 0) == SEM_FAILED && errno == ENOENT, "gone after unlink");
    PASS();
}

static sem_t *ping, *pong;

static void *ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        sem_wait(ping);
        sem_post(pong);
    }
    return NULL;
}

/* The same semaphores between two threads of one process. */
static void named_semaphores_between_threads(void)
{
    sem_unlink("/musl_ping");
    sem_unlink("/musl_pong");
    ping = sem_open("/musl_ping", O_CREAT, 0600, 0);
    pong = sem_open("/musl_pong", O_CREAT, 0600, 0);
    CHECK(ping != SEM_FAILED && pong != SEM_FAILED, "sem_open");
    pthread_t t;
    CHECK(pthread_create(&t, NULL, ponger, NULL) == 0, "pthread_create");
    for (int i = 0; i < ROUNDS; i++) {
        sem_post(ping);
        CHECK(sem_wait(pong) == 0, "sem_wait");
    }
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
    sem_close(ping);
    sem_close(pong);
    CHECK(sem_unlink("/musl_ping") == 0 && sem_unlink("/musl_pong") == 0, "unlink");
    PASS();
}

/* shm_open, ftruncate, mmap: a store in a child is seen by the parent. */
static void shm_object_between_processes(void)
{
    shm_unlink(SHM_NAME);
    int fd = shm_open(SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0, "shm_open");
    CHECK(ftruncate(fd, PAGE) == 0, "ftruncate");
    volatile int *word = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(word != MAP_FAILED, "mmap");
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        *word = 7;
        _exit(0);
    }
    CHECK(child_status(pid) == 0 && *word == 7, "the child's store");
    CHECK(shm_unlink(SHM_NAME) == 0, "shm_unlink");
    munmap((void *)word, PAGE);
    close(fd);
    PASS();
}

int main(void)
{
    char stats[OS_STATS_BYTES];
    if (syscall(OS_STATS_SYSCALL, stats) != 0) {
        fprintf(stderr, "test_musl_sem: this runs on the os kernel only (it boots it as process 1)\n");
        return 2;
    }
    printf("test_musl_sem: a musl static binary: sem_open, shm_open, between processes and threads\n");
    named_semaphore_between_processes();
    named_semaphores_between_threads();
    shm_object_between_processes();
    printf("utest: %d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed;
}

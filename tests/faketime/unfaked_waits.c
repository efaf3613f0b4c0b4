/*
 * Preloaded before libfaketime for the test run with the clock moved ahead (`make test-ahead`).
 *
 * libfaketime wraps epoll_wait, poll and select, and while a process sleeps inside one of those wrappers, a
 * signal handler that reads the clock gets the real time, not the faked one (the library's own re-entry
 * guard). PostgreSQL's lock_timeout, statement_timeout and deadlock_timeout work that way: SIGALRM arrives
 * while the backend waits in epoll_wait, the handler compares the real "now" with a deadline taken from the
 * faked clock, finds it 400 days away and sets the alarm again. A lock wait then never times out and a
 * deadlock is never detected, and a test that meets either hangs.
 *
 * These waits take relative time-outs, which need no faking, so this library sends them straight to the C
 * library and libfaketime's wrappers are never entered: handlers read the faked clock like everyone else.
 *
 * Timed waits on a semaphore need the opposite care. Python waits for a lock, an Event or a Thread.join with
 * sem_clockwait until a deadline on the monotonic clock, which it reads through libfaketime (400 days ahead)
 * but which the kernel compares with its own: the wait would never time out. libfaketime 0.9.10 does not wrap
 * sem_clockwait, so this library moves the deadline back by the faked clock's lead before waiting.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void *libc_symbol(const char *name) {
    static void *libc;
    if (!libc) libc = dlopen("libc.so.6", RTLD_NOW);
    return dlsym(libc, name);
}

int epoll_wait(int fd, struct epoll_event *events, int maxevents, int timeout) {
    static int (*real)(int, struct epoll_event *, int, int);
    if (!real) real = libc_symbol("epoll_wait");
    return real(fd, events, maxevents, timeout);
}

int epoll_pwait(int fd, struct epoll_event *events, int maxevents, int timeout, const sigset_t *mask) {
    static int (*real)(int, struct epoll_event *, int, int, const sigset_t *);
    if (!real) real = libc_symbol("epoll_pwait");
    return real(fd, events, maxevents, timeout, mask);
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout) {
    static int (*real)(struct pollfd *, nfds_t, int);
    if (!real) real = libc_symbol("poll");
    return real(fds, nfds, timeout);
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask) {
    static int (*real)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);
    if (!real) real = libc_symbol("ppoll");
    return real(fds, nfds, timeout, mask);
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout) {
    static int (*real)(int, fd_set *, fd_set *, fd_set *, struct timeval *);
    if (!real) real = libc_symbol("select");
    return real(nfds, readfds, writefds, exceptfds, timeout);
}

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *mask) {
    static int (*real)(int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *);
    if (!real) real = libc_symbol("pselect");
    return real(nfds, readfds, writefds, exceptfds, timeout, mask);
}

static long long nanoseconds(const struct timespec *t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }

int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *deadline) {
    static int (*real)(sem_t *, clockid_t, const struct timespec *);
    if (!real) real = libc_symbol("sem_clockwait");
    struct timespec faked, actual, shifted;
    clock_gettime(clock, &faked);                /* through libfaketime */
    syscall(SYS_clock_gettime, clock, &actual);  /* the kernel's own */
    long long at = nanoseconds(deadline) - (nanoseconds(&faked) - nanoseconds(&actual));
    if (at < 0) at = 0;
    shifted.tv_sec = at / 1000000000LL;
    shifted.tv_nsec = at % 1000000000LL;
    return real(sem, clock, &shifted);
}

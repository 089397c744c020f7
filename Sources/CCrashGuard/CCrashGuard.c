#include "CCrashGuard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define GUARD_PATH_MAX 4096

static const int guarded[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT };
#define GUARDED_COUNT (sizeof(guarded) / sizeof(guarded[0]))

/// Everything the handler touches is here, written before it can run.
static char importing_path[GUARD_PATH_MAX];
static char crashed_path[GUARD_PATH_MAX];
static volatile sig_atomic_t armed = 0;
static volatile sig_atomic_t installed = 0;
static struct sigaction previous[GUARDED_COUNT];

static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)context;
    int saved = errno;
    if (armed) {
        armed = 0;
        int fd = open(importing_path, O_WRONLY | O_APPEND);
        if (fd >= 0) {
            char line[16] = "signal=";
            int n = 7, value = sig, digits[4], count = 0;
            do { digits[count++] = value % 10; value /= 10; } while (value > 0 && count < 4);
            while (count > 0) line[n++] = (char)('0' + digits[--count]);
            line[n++] = '\n';
            ssize_t ignored = write(fd, line, (size_t)n);
            (void)ignored;
            fsync(fd);
            close(fd);
        }
        rename(importing_path, crashed_path);
    }
    // Hand the signal on to the handler that was there before (or the default action).
    for (unsigned i = 0; i < GUARDED_COUNT; i++) {
        if (guarded[i] != sig) continue;
        struct sigaction before = previous[i];
        if (!(before.sa_flags & SA_SIGINFO) && before.sa_handler == SIG_IGN) {
            before.sa_handler = SIG_DFL;
        }
        sigaction(sig, &before, NULL);
    }
    errno = saved;
    // A hardware fault happens again when the handler returns; a signal that was sent, or a trap that
    // stepped past its instruction, is raised again (it is delivered as soon as this handler returns).
    if (info == NULL || info->si_code <= 0 || sig == SIGTRAP || sig == SIGABRT) {
        raise(sig);
    }
}

int orderflow_crashguard_install(void) {
    if (installed) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (unsigned i = 0; i < GUARDED_COUNT; i++) {
        if (sigaction(guarded[i], &action, &previous[i]) != 0) return -1;
    }
    installed = 1;
    return 0;
}

int orderflow_crashguard_arm(const char *importing, const char *crashed) {
    armed = 0;
    if (strlen(importing) >= GUARD_PATH_MAX || strlen(crashed) >= GUARD_PATH_MAX) return -1;
    strcpy(importing_path, importing);
    strcpy(crashed_path, crashed);
    armed = 1;
    return 0;
}

void orderflow_crashguard_disarm(void) {
    armed = 0;
}

void orderflow_crashguard_trap(void) {
    __builtin_trap();
}

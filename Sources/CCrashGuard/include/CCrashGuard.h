#ifndef ORDERFLOW_CCRASHGUARD_H
#define ORDERFLOW_CCRASHGUARD_H

/// Marks the input file an engine was importing when it crashed, so that the next start sets it
/// aside instead of importing it (and crashing) again.
///
/// The import writes a marker file naming the file it imports and arms the guard with the
/// marker's path; a crash signal (SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT) then appends
/// `signal=N` to the marker and renames it to the crashed path, using only async-signal-safe calls
/// on paths copied into static storage beforehand, and hands the signal on to the handler that was
/// there before (the Swift runtime's backtracer, or the default action), so the process dies as it
/// would have. SIGKILL runs no handler: the marker stays as it was and the file is imported again.

/// Installs the handlers once per process (later calls do nothing). Returns 0, or -1 with errno.
int orderflow_crashguard_install(void);

/// Arms the guard for one import; returns -1 when a path does not fit (the guard stays disarmed).
int orderflow_crashguard_arm(const char *importing, const char *crashed);

/// Disarms the guard: a crash now leaves the marker alone.
void orderflow_crashguard_disarm(void);

/// A deliberate trap (the test hook `ORDERFLOW_TEST_CRASH_ON`): the same illegal instruction a Swift
/// overflow check executes.
void orderflow_crashguard_trap(void) __attribute__((noreturn));

#endif

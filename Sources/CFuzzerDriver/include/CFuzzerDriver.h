#ifndef CFUZZERDRIVER_H
#define CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 13 and later), for a program that has its own `main`: parses libFuzzer's
/// flags from argc/argv and fuzzes `callback`. Defined only in a binary linked with `-sanitize=fuzzer`;
/// OrderFuzz calls it only when built with `-DFUZZING`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

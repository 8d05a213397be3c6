// libFuzzer's documented entry point for programs that keep their own main (llvm.org/docs/LibFuzzer.html).
//
// SwiftPM links every executable with `main` aliased to `<Target>_main` (the target's top-level code), so
// libFuzzer's own main is never pulled in; each target's top-level code calls this driver instead.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

// Header-only target: LLVMFuzzerRunDriver comes from the libFuzzer runtime that -sanitize=fuzzer links.
#include "CLibFuzzer.h"

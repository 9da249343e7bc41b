#include "model/common/error.h"
// InputError is header-only; this file keeps the library non-empty on a fresh checkout.

// NumPy .npy files (format version 1.0) of integer tensors, for handing golden-model outputs to
// Python (`intvit run --save-tensors/--save-logits`; numpy.load reads them).
// Layout: "\x93NUMPY", version 1 0, a little-endian uint16 header length, the header (a Python
// dict literal {'descr': '<i8', 'fortran_order': False, 'shape': (2, 10), } padded with spaces
// and ending in '\n' so the data starts at a multiple of 64), then the values, row-major,
// little-endian.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/tensor/dtype.h"
#include "model/tensor/tensor.h"

namespace intvit::model {

// NumPy's descr of an integer dtype: "|i1", "|u1", "<i2", "<u2", "<i4", "<i8".
std::string NpyDescr(DType t);

// The whole .npy file of `values` (one per element of `shape`, each fitting `t`).
// Range: t an integer dtype; values.size() == product(shape); else InputError.
std::string EncodeNpy(DType t, const std::vector<std::int64_t>& shape,
                      const std::vector<std::int64_t>& values);

// Writes EncodeNpy(...) to `<path>.tmp`, then renames it over `path`, so a reader never sees a
// partial file. Throws InputError naming the path if it cannot be written.
void WriteNpyFile(const std::filesystem::path& path, DType t,
                  const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values);
// The tensor with its own dtype and shape.
void WriteNpyFile(const std::filesystem::path& path, const Tensor& tensor);

}  // namespace intvit::model

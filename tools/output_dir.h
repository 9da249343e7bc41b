// Output folders of the CLI (-o, --out, --trace-out). Every command prepares its folder before
// any work, so a path that cannot be a folder costs nothing and is reported as bad input (exit
// 2), never as an internal error after a long run.
#pragma once

#include <string>

namespace intvit::tools {

// Creates `dir` and its parents, and proves it writable. InputError "<option> <dir>: ..." when
// a file (or anything else that is not a folder) is in the way, or it cannot be created or
// written.
void PrepareOutputDir(const std::string& dir, const std::string& option);

// For an output file: InputError "<option> <path>: ..." when the path is an existing folder,
// or its parent folder cannot be created. Creates the parent folder.
void PrepareOutputFile(const std::string& path, const std::string& option);

}  // namespace intvit::tools

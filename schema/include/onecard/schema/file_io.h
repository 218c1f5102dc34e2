// Small files beside the stores (key files, enrolment bundles), written atomically.
#pragma once

#include <string>

#include "onecard/protocol/status.h"

namespace onecard::schema {

// Reads a whole file. kNotFound when it does not exist; the message names the path.
Result<std::string> ReadWholeFile(const std::string& path);
// Writes `content` to a temporary file in the same directory with permissions `mode`, fsyncs it,
// renames it over `path` and fsyncs the directory: readers see the old or the new file, never part.
Status WriteFileAtomically(const std::string& path, const std::string& content, unsigned mode = 0600);
// Creates `dir` (and parents) with mode 0700 if missing.
Status EnsurePrivateDirectory(const std::string& dir);
bool FileExists(const std::string& path);

}  // namespace onecard::schema

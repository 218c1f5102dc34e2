// Small files beside the stores (key files, enrolment bundles), written atomically.
#pragma once

#include <string>

#include "onecard/platform/status.h"

namespace onecard::platform {

// Reads a whole file. kNotFound when it does not exist; the message names the path.
Result<std::string> ReadWholeFile(const std::string& path);
// Writes `content` to a temporary file in the same directory with exactly permissions `mode` (not
// reduced by the umask), fsyncs it, renames it over `path` and fsyncs the directory: readers see
// the old or the new file, never part. On failure `path` is untouched and no temporary file stays.
Status WriteFileAtomically(const std::string& path, const std::string& content,
                           unsigned mode = 0600);
// Creates `dir` (and parents) if missing and sets its mode to 0700 (the parents keep the umask).
Status EnsurePrivateDirectory(const std::string& dir);
bool FileExists(const std::string& path);

}  // namespace onecard::platform

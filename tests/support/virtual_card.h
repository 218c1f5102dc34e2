// A card reader without hardware for tests: pcscd with the vpcd driver, and vicc card emulators
// (scripts/vicc.py) in its two virtual readers. Tests using it must hold the ctest RESOURCE_LOCK
// "pcscd" (there is one pcscd per machine and the reader ports are fixed).
//
// A pcscd that is already running is reused; otherwise one is started and stopped with this
// object. Cards (vicc processes) are killed when removed or when this object is destroyed, so a
// failing test leaves nothing behind.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace onecard::testing {

class VirtualCardStack {
 public:
  VirtualCardStack();
  ~VirtualCardStack();
  VirtualCardStack(const VirtualCardStack&) = delete;
  VirtualCardStack& operator=(const VirtualCardStack&) = delete;

  // Empty when pcscd is up with its virtual readers; otherwise what went wrong.
  const std::string& error() const { return error_; }

  // Inserts a fresh card emulated by `vicc -t type` into virtual reader `index` (0 or 1) and waits
  // (bounded) until PC/SC sees it. False (with error()) when it does not appear. With `image` (a
  // file path) the card keeps its content there: inserting with the same image again puts the
  // same card back (scripts/vicc.py, ONECARD_VICC_IMAGE).
  bool InsertCard(const std::string& type = "iso7816", int index = 0,
                  const std::string& image = "");
  // Pulls the card out of reader `index` (its content is lost) and waits until PC/SC notices.
  void RemoveCard(int index = 0);

  static std::string ReaderName(int index);

 private:
  bool CardVisible(int index);

  TempDir dir_{"onecard-vcard"};
  Process pcscd_;
  Process cards_[2];
  std::string error_;
};

}  // namespace onecard::testing

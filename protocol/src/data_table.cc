#include "data_table.h"

namespace onecard {

std::string_view DataTable(std::string_view name) {
  for (const auto& [file, contents] : DataFiles()) {
    if (file == name) {
      ONECARD_CHECK(!contents.empty());
      return contents;
    }
  }
  ONECARD_CHECK(false);
  return {};
}

}  // namespace onecard

#include "small_cells.h"

#include <algorithm>

namespace onecard::server {

std::vector<size_t> CellsToHide(const std::vector<int64_t>& counts) {
  std::vector<size_t> hidden;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (IsSmallCount(counts[i])) hidden.push_back(i);
  }
  if (hidden.size() != 1 || counts.size() < 2) return hidden;
  const size_t lone = hidden[0];
  size_t smallest = lone == 0 ? 1 : 0;
  for (size_t i = smallest + 1; i < counts.size(); ++i) {
    if (i != lone && counts[i] < counts[smallest]) smallest = i;
  }
  hidden.push_back(smallest);
  std::sort(hidden.begin(), hidden.end());
  return hidden;
}

}  // namespace onecard::server

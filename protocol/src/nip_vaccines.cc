#include "onecard/protocol/nip_vaccines.h"

#include "data_table.h"

namespace onecard {

const std::vector<NipVaccine>& NipVaccines() {
  static const std::vector<NipVaccine> vaccines = [] {
    std::vector<NipVaccine> read;
    ForEachTableLine(
        DataTable("nip_vaccines.tsv"), [&](std::string_view code, std::string_view names) {
          size_t tab = names.find('\t');
          ONECARD_CHECK(tab != std::string_view::npos && tab > 0 && tab + 1 < names.size());
          read.push_back({code, names.substr(0, tab), names.substr(tab + 1)});
        });
    return read;
  }();
  return vaccines;
}

const NipVaccine* FindNipVaccine(std::string_view code) {
  for (const NipVaccine& v : NipVaccines()) {
    if (v.code == code) return &v;
  }
  return nullptr;
}

}  // namespace onecard

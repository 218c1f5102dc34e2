// The vaccines of the National Immunization Programme as data (protocol/data/nip_vaccines.tsv):
// the codes a record may carry in immunizations[].vaccine, with their names for people.
// Thread-safe (the table is read once, on first use).
#pragma once

#include <string_view>
#include <vector>

namespace onecard {

struct NipVaccine {
  std::string_view code;  // e.g. "MPSV-AC"
  std::string_view zh;    // e.g. "A群C群流脑多糖疫苗"
  std::string_view en;    // e.g. "meningococcal A+C polysaccharide"
};

// Every vaccine of the programme, in table order.
const std::vector<NipVaccine>& NipVaccines();

// The vaccine of `code`; nullptr when the programme has none.
const NipVaccine* FindNipVaccine(std::string_view code);

}  // namespace onecard

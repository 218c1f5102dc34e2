#include "synthetic_children.h"

namespace onecard::testing {

std::string SyntheticChildName(int i) {
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};
  const char* given[] = {"小明", "丽", "建国", "芳", "伟", "秀英", "敏", "静", "强", "磊"};
  const char* third[] = {"", "华", "军", "玲", "平", "红", "文", "涛"};
  return std::string(surnames[i % 8]) + given[(i / 8) % 10] + third[(i / 80) % 8];
}

nlohmann::json SyntheticChildRecord(int i) {
  using nlohmann::json;
  return {
      {"name", SyntheticChildName(i)},
      {"sex", i % 2 ? "M" : "F"},
      {"birth_date", "2018-05-04"},
      {"hukou_area", "321324"},
      {"residence_area", "440306"},
      {"guardians",
       json::array({{{"name", "李强"}, {"relation", "father"}, {"phone", "13812345678"}}})},
      {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2018-05-05"}}})},
      {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
}

}  // namespace onecard::testing

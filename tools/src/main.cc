// onecard-synth: writes a synthetic population of child registrations (JSON lines, canonical
// child records) and its truth (which registrations are the same child). See synth_population.h.
//
//   onecard-synth --count 100000 --duplicate-rate 0.1 --seed 7 --reference-date 2025-06-30
//       --out records.jsonl --truth truth.tsv [--generator first|second]
// Truth file: a header line, then record_id<TAB>person_id<TAB>errors per record.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "onecard/protocol/i18n.h"
#include "onecard/tools/synth_population.h"
#include "onecard/tools/synth_second.h"

int main(int argc, char** argv) {
  using onecard::Tr;
  onecard::synth::SynthOptions options;
  std::string reference = options.reference_date.ToString();
  std::string out_path, truth_path, generator = "first";
  CLI::App app{Tr("生成带已知真值的合成儿童登记数据",
                  "Generates synthetic child registrations with known truth")};
  app.add_option("--count", options.count, Tr("登记记录数", "number of registrations"));
  app.add_option("--duplicate-rate", options.duplicate_rate,
                 Tr("重复登记（同一儿童第二次登记）所占比例",
                    "share of registrations that register a child a second time"));
  app.add_option("--seed", options.seed, Tr("随机种子", "random seed"));
  app.add_option("--reference-date", reference,
                 Tr("参考日期（儿童在此日 0–17 岁）", "reference date (children are 0-17 on it)"));
  app.add_option("--out", out_path,
                 Tr("记录输出文件（JSON lines）", "records output file (JSON lines)"))
      ->required();
  app.add_option("--truth", truth_path, Tr("真值输出文件（TSV）", "truth output file (TSV)"))
      ->required();
  app.add_option("--generator", generator,
                 Tr("生成器：first（默认）或 second（独立编写，synth_second.h）",
                    "generator: first (default) or second (written independently, synth_second.h)"))
      ->check(CLI::IsMember({"first", "second"}));
  CLI11_PARSE(app, argc, argv);

  onecard::Result<onecard::CivilDate> date = onecard::CivilDate::Parse(reference);
  if (!date.ok()) {
    std::cerr << "--reference-date: " << date.status().message() << "\n";
    return 2;
  }
  options.reference_date = *date;
  std::ofstream out(out_path, std::ios::binary), truth(truth_path, std::ios::binary);
  if (!out || !truth) {
    std::cerr << Tr("无法写入输出文件", "cannot write the output files") << "\n";
    return 1;
  }
  truth << "record_id\tperson_id\terrors\n";
  auto write = [&](onecard::synth::SynthRecord&& r) {
    out << r.record.dump() << '\n';
    truth << r.record_id << '\t' << r.person_id << '\t' << r.errors << '\n';
  };
  onecard::Status status = generator == "second"
                               ? onecard::synth::GenerateSecondPopulation(options, write)
                               : onecard::synth::GeneratePopulation(options, write);
  if (!status.ok()) {
    std::cerr << status.message() << "\n";
    return 2;
  }
  out.flush();
  truth.flush();
  if (!out || !truth) {
    std::cerr << Tr("写入输出文件失败", "writing the output files failed") << "\n";
    return 1;
  }
  return 0;
}

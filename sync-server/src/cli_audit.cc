// `onecard-server audit verify`: checks the audit chains the server holds (PRODUCT.md section 13;
// CLI.md). Each kind of chain is one section of the report; a problem in any section makes the
// command exit 1 after printing the whole report. The sections: the server's own chain (who read
// personal data or changed who may read it, at the server; server_audit.cc), and every enrolled
// terminal's pushed chain (sync.md, "Audit chain").

#include <nlohmann/json.hpp>

#include "cli_console.h"
#include "onecard/protocol/i18n.h"

namespace onecard::server {
namespace {

using nlohmann::json;

// One section of the report: its lines for people, its JSON member, and its problems (one
// sentence each).
struct AuditSection {
  std::string text;
  std::string json_key;
  json json_value;
  std::vector<std::string> problems;
};

std::string TerminalLine(const TerminalAuditState& t) {
  const std::string held =
      Tr(std::to_string(t.entries) + " 条记录，最后一条 " + std::to_string(t.last_id),
         std::to_string(t.entries) + " entries, last " + std::to_string(t.last_id));
  const std::string revoked = t.revoked ? Tr("（已吊销）", " (revoked)") : "";
  const std::string verdict = t.problem.kind == AuditProblemKind::kNone
                                  ? Tr("完好", "intact")
                                  : AuditProblemText(t.terminal_id, t.problem);
  return "  " + t.terminal_id + revoked + Tr("：", ": ") + held + Tr("；", "; ") + verdict + "\n";
}

json TerminalJson(const TerminalAuditState& t) {
  json out = {{"terminal_id", t.terminal_id},
              {"revoked", t.revoked},
              {"entries", t.entries},
              {"last_id", t.last_id},
              {"intact", t.problem.kind == AuditProblemKind::kNone}};
  if (t.problem.kind != AuditProblemKind::kNone) {
    out["problem"] = {{"kind", AuditProblemCode(t.problem.kind)},
                      {"id", t.problem.id},
                      {"to", t.problem.to},
                      {"message", AuditProblemText(t.terminal_id, t.problem)}};
  }
  return out;
}

// The server's own chain, checked entry by entry now.
Result<AuditSection> ServerChain(AdminStore& store) {
  ASSIGN_OR_RETURN(schema::AuditChainReport report, store.VerifyServerAudit());
  const std::string title = Tr("服务器审计链：", "the server's audit chain: ");
  const std::string count = std::to_string(report.entries);
  AuditSection section;
  section.json_key = "server";
  section.json_value = {{"entries", report.entries}, {"intact", report.intact}};
  if (report.intact) {
    section.text = title + Tr(count + " 条记录；完好\n", count + " entries; intact\n");
    return section;
  }
  // entries: how many were checked before the first problem.
  section.json_value["problem"] = {{"id", report.first_bad_id}, {"message", report.problem}};
  section.text = title + report.problem + "\n";
  section.problems.push_back(title + report.problem);
  return section;
}

// Every enrolled terminal's pushed chain, as checked when it was pushed.
Result<AuditSection> TerminalChains(AdminStore& store) {
  ASSIGN_OR_RETURN(std::vector<TerminalAuditState> terminals, store.TerminalAudits());
  AuditSection section;
  section.json_key = "terminals";
  section.json_value = json::array();
  section.text = Tr("终端审计链：\n", "terminals' audit chains:\n");
  if (terminals.empty()) section.text += Tr("  （没有登记的终端）\n", "  (no terminal enrolled)\n");
  for (const TerminalAuditState& t : terminals) {
    section.text += TerminalLine(t);
    section.json_value.push_back(TerminalJson(t));
    if (t.problem.kind != AuditProblemKind::kNone) {
      section.problems.push_back(AuditProblemText(t.terminal_id, t.problem));
    }
  }
  return section;
}

// The sections of the report, in order.
Result<std::vector<AuditSection>> AuditSections(AdminStore& store) {
  std::vector<AuditSection> sections;
  ASSIGN_OR_RETURN(AuditSection server, ServerChain(store));
  sections.push_back(std::move(server));
  ASSIGN_OR_RETURN(AuditSection terminals, TerminalChains(store));
  sections.push_back(std::move(terminals));
  return sections;
}

Result<cli::Reply> AuditVerify(Console& console) {
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  ASSIGN_OR_RETURN(std::vector<AuditSection> sections, AuditSections(*store));
  cli::Reply reply;
  json out = json::object();
  std::vector<std::string> problems;
  for (AuditSection& s : sections) {
    reply.text += s.text;
    out[s.json_key] = std::move(s.json_value);
    problems.insert(problems.end(), s.problems.begin(), s.problems.end());
  }
  out["intact"] = problems.empty();
  reply.json = out.dump();
  if (!problems.empty()) {
    reply.problem = Tr("审计链有问题：", "audit chains with problems: ") + problems.front() +
                    (problems.size() > 1 ? Tr("（共 " + std::to_string(problems.size()) + " 处）",
                                              " (" + std::to_string(problems.size()) + " in all)")
                                         : "");
  }
  return reply;
}

}  // namespace

std::vector<ServerCommand> AuditCommands() {
  return {
      {{{"audit", "verify"},
        "检查审计链：服务器自身的审计链和各终端推送的审计链",
        "check the audit chains: the server's own and every terminal's pushed chain",
        {}},
       AuditVerify},
  };
}

}  // namespace onecard::server

// The guardian's copy at the command line: export --child ID [--json] [--out FILE].
#include <filesystem>

#include "cli_context.h"
#include "export_html.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/i18n.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// Refuses an --out that cannot be written before anything is read or audited: a directory, or a
// file in a directory that does not exist.
Status CheckOutPath(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--out 指向一个目录：" + path + "（请给出文件名）",
                     "--out names a directory: " + path + " (give a file name)"));
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--out 的目录不存在：" + dir.string(),
                     "the directory of --out does not exist: " + dir.string()));
  }
  return Status::Ok();
}

// Everything held about the child, audited ("child.export"): canonical JSON with --json, else a
// printable HTML page; on standard output, or with --out in FILE (mode 0600, written atomically:
// the file is whole or absent). The audit entry is committed before the file is written, so a
// failed write leaves an audited export without a file, never a file without its audit entry.
Result<cli::Reply> Export(CommandContext& ctx) {
  const std::string& out = ctx.Flag("--out");
  if (!out.empty()) RETURN_IF_ERROR(CheckOutPath(out));  // before the passphrase is asked
  ASSIGN_OR_RETURN(TerminalStore * store, ctx.Store());
  const std::string& child_id = ctx.Flag("--child");
  ASSIGN_OR_RETURN(ChildExport copy, store->exports().Of(child_id));
  if (out.empty()) {
    return ctx.json() ? cli::Reply::Both("", copy.ToJson().dump(2))
                      : cli::Reply::Text(ExportHtml(copy));
  }
  const std::string content = ctx.json() ? copy.ToJson().dump(2) + "\n" : ExportHtml(copy);
  RETURN_IF_ERROR(platform::WriteFileAtomically(out, content, 0600));
  return cli::Reply::Both(Tr("已将儿童 " + child_id + " 的信息副本写入 " + out + "\n",
                             "wrote the copy of child " + child_id + "'s record to " + out + "\n"),
                          json{{"child_id", child_id}, {"out", out}}.dump(2));
}

}  // namespace

TerminalCommand ExportCommand() {
  return {{{"export"},
           "儿童信息副本（供监护人查阅；记审计）：全部记录及谁在何时查阅或修改",
           "everything held about a child, for the guardian (audited): the record and who read "
           "or changed it when",
           {cli::Required("--child"),
            cli::Optional("--out", "写入文件 FILE（权限 0600）而非标准输出",
                          "write to FILE (mode 0600) instead of standard output")}},
          StaffAction::kExport,
          Export};
}

}  // namespace onecard::terminal

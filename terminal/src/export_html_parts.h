// The sections of the guardian's page (export_html.h), each writing its heading and content into
// the page. Internal to export_html*.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "html_page.h"
#include "onecard/terminal/child_export.h"

namespace onecard::terminal {

// The words of an audit action or event type ("child.read" -> "查看记录"); the code when unknown.
std::string ActionWord(const std::string& code);
// A value of the record (or of a held change) as text: a scalar as ValueText (record_text.h), an
// object as "label: value" pairs, a list one item per line.
std::string ValueOf(const std::string& name, const nlohmann::json& v);

// export_html_record.cc: the record, when each item was recorded, the changes held.
void RecordSection(HtmlPage& page, const ChildExport& e);
void FieldHistorySection(HtmlPage& page, const ChildExport& e);
void HeldChangesSection(HtmlPage& page, const ChildExport& e);

}  // namespace onecard::terminal

// The guardian's copy (child_export.h) as a printable page: one self-contained HTML file (an inline
// style sheet for the screen and A4 paper, no script, no external resource: it is handed over on
// paper or on a stick and opened with no network), in the user's language (Simplified Chinese by
// default, English under ONECARD_LANG=en). Every piece of data is escaped (html_page.h): names and
// reasons are typed by people and may hold anything.
#pragma once

#include <string>

#include "onecard/terminal/child_export.h"

namespace onecard::terminal {

// The whole page.
std::string ExportHtml(const ChildExport& copy);

}  // namespace onecard::terminal
